-- The raw payload is gzip bytes: Postgres' own compression (pglz) never shrinks them, so it is not tried
-- (EXTERNAL: out-of-line TOAST, uncompressed). Storing a 14 MB upload is then one write of its bytes.
ALTER TABLE "reports" ALTER COLUMN "payload" SET STORAGE EXTERNAL;
