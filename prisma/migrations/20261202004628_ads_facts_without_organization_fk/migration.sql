-- DropForeignKey: the per-row check on Organization doubled the cost of writing daily facts.
ALTER TABLE "AdsDailyFact" DROP CONSTRAINT "AdsDailyFact_organizationId_fkey";

-- Facts go with their advertiser (an organization's or connection's deletion cascades to its
-- advertisers, and each advertiser's deletion takes its facts, found by the advertiser index).
CREATE FUNCTION pressroom_delete_advertiser_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "AdsDailyFact" WHERE "advertiserId" = OLD."id";
  RETURN OLD;
END;
$$;

CREATE TRIGGER "Advertiser_delete_facts"
  BEFORE DELETE ON "Advertiser"
  FOR EACH ROW EXECUTE FUNCTION pressroom_delete_advertiser_facts();
