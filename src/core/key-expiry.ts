// Telling an expired API key from a wrong one, for the fall-through rule of the REST door.
import { isExpiredKey } from '../catalog/index.js';
import { tokenLookupHash } from './secrets/tokens.js';
import type { Services } from './services.js';

export function isExpiredToken(services: Services, token: string): Promise<boolean> {
  return isExpiredKey(services.db, tokenLookupHash(services.tokenLookupKey, token));
}
