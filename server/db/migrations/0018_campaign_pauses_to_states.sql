-- Campaigns that existed before lifecycle states were running (attribution had no state to
-- check): they are `active`, and `paused` where an admin had paused them (a campaign_pauses
-- row). The pause's who and when move to the state columns; its reason stays in the audit log.
UPDATE "campaigns" SET "state" = 'active', "state_changed_at" = "created_at", "state_changed_by" = 'migration';
--> statement-breakpoint
UPDATE "campaigns" c SET "state" = 'paused', "state_changed_at" = p."paused_at", "state_changed_by" = p."paused_by"
  FROM "campaign_pauses" p WHERE p."campaign_id" = c."id";
