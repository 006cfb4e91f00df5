-- A batch has one post per index. generatePost looks for the index's post and creates it when
-- there is none; two attempts at once (a retry while a worker that lost its connection is still
-- running the first) could both create one. The index now refuses the second.
--
-- A database that already holds two posts at one index keeps both: every one but the oldest
-- leaves its index (NULL, which the unique index allows), so nothing is deleted.
UPDATE "Post" SET "batchIndex" = NULL
WHERE "id" IN (
  SELECT "id" FROM (
    SELECT "id", row_number() OVER (PARTITION BY "batchId", "batchIndex" ORDER BY "createdAt", "id") AS "rank"
    FROM "Post"
    WHERE "batchId" IS NOT NULL AND "batchIndex" IS NOT NULL
  ) AS "ranked"
  WHERE "ranked"."rank" > 1
);

DROP INDEX "Post_batchId_batchIndex_idx";

CREATE UNIQUE INDEX "Post_batchId_batchIndex_key" ON "Post"("batchId", "batchIndex");
