-- Written by hand: erasure of one sender's contact form submissions (a privacy request).
-- ContactSubmission stays append-only. Besides the organization-wide flag of the retention
-- purge and an organization's deletion (pressroom.contact_erasure), a transaction may name ONE
-- sender of ONE organization in pressroom.contact_erasure_sender; the trigger then lets only
-- that sender's rows be deleted, so an erasure can never take anyone else's messages, and
-- nothing may still UPDATE a row. erase_contact_sender() is the one place that sets it.

-- How a sender is recognised across spellings: an email case-insensitively, a Telegram
-- username without its @ and case, a phone number by its digits.
CREATE FUNCTION "contact_sender_key"(kind "ContactKind", contact TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT kind::text || ':' || CASE kind
    WHEN 'EMAIL' THEN lower(btrim(contact))
    WHEN 'TELEGRAM' THEN lower(ltrim(btrim(contact), '@'))
    ELSE regexp_replace(contact, '[^0-9]', '', 'g')
  END
$$;

CREATE OR REPLACE FUNCTION "contact_submission_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('pressroom.contact_erasure', true) = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'DELETE'
    AND current_setting('pressroom.contact_erasure_sender', true) =
      OLD."organizationId" || '/' || "contact_sender_key"(OLD."contactKind", OLD."contact") THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'TRUNCATE' AND current_setting('pressroom.contact_erasure', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'ContactSubmission is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
      HINT = 'Retention and erasure delete within a transaction that set pressroom.contact_erasure, or through erase_contact_sender().';
END
$$;

-- Deletes every submission of `p_organization_id` from the sender `p_contact` (of `p_kind`) and
-- returns their ids; the flag is set for this statement only and cleared before returning.
CREATE FUNCTION "erase_contact_sender"(p_organization_id TEXT, p_kind "ContactKind", p_contact TEXT)
  RETURNS SETOF TEXT LANGUAGE plpgsql AS $$
DECLARE
  sender TEXT := p_organization_id || '/' || "contact_sender_key"(p_kind, p_contact);
BEGIN
  PERFORM set_config('pressroom.contact_erasure_sender', sender, true);
  RETURN QUERY
    DELETE FROM "ContactSubmission"
    WHERE "organizationId" = p_organization_id
      AND "contactKind" = p_kind
      AND "contact_sender_key"("contactKind", "contact") = "contact_sender_key"(p_kind, p_contact)
    RETURNING id;
  PERFORM set_config('pressroom.contact_erasure_sender', '', true);
END
$$;
