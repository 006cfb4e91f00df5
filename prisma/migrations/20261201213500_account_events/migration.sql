-- An account's status changes on many paths (connect, reconnect, a refused refresh, a revoked
-- grant found by a sync, disconnect) in the api and in the worker. Announcing the change from
-- the row itself means none of those paths, present or future, can forget to: the event is
-- written in the same transaction as the change and announced when it commits, exactly as
-- emitEvent() does in application code (same table, channel and message shape).
CREATE FUNCTION "pressroom_announce_account_status"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  event_id BIGINT;
  event_at TIMESTAMP(3);
  event_payload JSONB;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."status" IS NOT DISTINCT FROM OLD."status" THEN
    RETURN NEW;
  END IF;
  event_payload := jsonb_build_object(
    'socialAccountId', NEW."id",
    'brandId', NEW."brandId",
    'status', NEW."status"::TEXT,
    'previousStatus', CASE WHEN TG_OP = 'UPDATE' THEN OLD."status"::TEXT END
  );
  INSERT INTO "DomainEvent" ("organizationId", "kind", "payload")
  VALUES (NEW."organizationId", 'account.changed', event_payload)
  RETURNING "id", "createdAt" INTO event_id, event_at;
  PERFORM pg_notify('pressroom_events', jsonb_build_object(
    'id', event_id::TEXT,
    'kind', 'account.changed',
    'organizationId', NEW."organizationId",
    'payload', event_payload,
    'createdAt', to_char(event_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  )::TEXT);
  RETURN NEW;
END;
$$;

CREATE TRIGGER "SocialAccount_announce_status"
AFTER INSERT OR UPDATE OF "status" ON "SocialAccount"
FOR EACH ROW EXECUTE FUNCTION "pressroom_announce_account_status"();
