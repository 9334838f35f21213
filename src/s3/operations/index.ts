// Every S3 operation the gateway implements, for the route table.
export { createBucket, deleteBucket, getAcl, getBucketLocation, getBucketVersioning, headBucket, listBuckets, putAcl, putBucketVersioning } from './buckets.js';
export { copyObject } from './copy-object.js';
export { deleteObject, deleteObjects } from './delete-object.js';
export { getObject, headObject } from './get-object.js';
export { listObjects, listObjectsV2, listObjectVersions } from './list-objects.js';
export {
  abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listMultipartUploads, listParts, uploadPart, uploadPartCopy,
} from './multipart.js';
export { putObject } from './put-object.js';
