// The blob store module's public face, for callers that want one import.
export * from './blob-store.js';
export { newBlobAddress, isBlobAddress, assertBlobAddress } from './address.js';
export * from './checksums.js';
export { combineCrcs, isCrcAlgorithm, type CrcAlgorithm } from './crc-combine.js';
export { collectGarbage, type GcOptions, type GcResult } from './gc.js';
export { digestBlob } from './digest-blob.js';
export { FsBlobStore } from './fs-store.js';
export { S3BlobStore, type S3BlobStoreConfig } from './s3-store.js';
export { openBlobStore, type BlobStoreSettings } from './open.js';
