-- The api keeps the answers of some dashboard reads (the post list, the calendar) in memory
-- until the rows they were built from change. Every change to those rows is announced from the
-- rows themselves, on the channel `pressroom_reads`, with the organization whose reads it
-- outdates: so no path that writes them (the api, the worker, a migration, psql), present or
-- future, can leave a stale answer behind. NOTIFY is delivered when the transaction commits
-- (never for one rolled back), and identical notifications of one transaction are delivered
-- once, so a sync that updates a thousand rows of one organization announces it once.
CREATE FUNCTION "pressroom_reads_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('pressroom_reads', OLD."organizationId");
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('pressroom_reads', NEW."organizationId");
  END IF;
  RETURN NULL;
END;
$$;

-- A slide names its post, not its organization.
CREATE FUNCTION "pressroom_slide_reads_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  organization_id TEXT;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT "organizationId" INTO organization_id FROM "Post" WHERE "id" = OLD."postId";
    -- Gone with its post (a cascade): the post's own row announced the change.
    IF organization_id IS NOT NULL THEN
      PERFORM pg_notify('pressroom_reads', organization_id);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT "organizationId" INTO organization_id FROM "Post" WHERE "id" = NEW."postId";
    IF organization_id IS NOT NULL THEN
      PERFORM pg_notify('pressroom_reads', organization_id);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION "pressroom_organization_reads_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pressroom_reads', OLD."id");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Organization_reads_changed"
AFTER UPDATE OR DELETE ON "Organization"
FOR EACH ROW EXECUTE FUNCTION "pressroom_organization_reads_changed"();

CREATE TRIGGER "Brand_reads_changed"
AFTER INSERT OR UPDATE OR DELETE ON "Brand"
FOR EACH ROW EXECUTE FUNCTION "pressroom_reads_changed"();

CREATE TRIGGER "Post_reads_changed"
AFTER INSERT OR UPDATE OR DELETE ON "Post"
FOR EACH ROW EXECUTE FUNCTION "pressroom_reads_changed"();

CREATE TRIGGER "Slide_reads_changed"
AFTER INSERT OR UPDATE OR DELETE ON "Slide"
FOR EACH ROW EXECUTE FUNCTION "pressroom_slide_reads_changed"();

CREATE TRIGGER "Media_reads_changed"
AFTER INSERT OR UPDATE OR DELETE ON "Media"
FOR EACH ROW EXECUTE FUNCTION "pressroom_reads_changed"();

CREATE TRIGGER "Publication_reads_changed"
AFTER INSERT OR UPDATE OR DELETE ON "Publication"
FOR EACH ROW EXECUTE FUNCTION "pressroom_reads_changed"();

CREATE TRIGGER "PlatformVideo_reads_changed"
AFTER INSERT OR UPDATE OR DELETE ON "PlatformVideo"
FOR EACH ROW EXECUTE FUNCTION "pressroom_reads_changed"();

CREATE TRIGGER "SocialAccount_reads_changed"
AFTER INSERT OR UPDATE OR DELETE ON "SocialAccount"
FOR EACH ROW EXECUTE FUNCTION "pressroom_reads_changed"();
