-- How a multipart upload's checksum describes the object: COMPOSITE (the checksum of the part
-- checksums, "-N") or FULL_OBJECT (the CRC of the whole object, combined from the parts').
ALTER TABLE uploads ADD COLUMN checksum_type text NOT NULL DEFAULT 'COMPOSITE' CHECK (checksum_type IN ('COMPOSITE', 'FULL_OBJECT'));
