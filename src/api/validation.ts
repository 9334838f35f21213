// How REST requests are checked against their schemas. URL parts arrive as strings, so the
// query string, path parameters and headers are coerced to the schema's types (amount=10 is
// an integer); a JSON body already has types and is taken as sent: `{"retention_days": "30"}`
// or `{"message": 7}` is a 400, not silently converted. Otherwise fastify's own settings
// (formats, defaults, the first error only, which keeps a hostile body from costing much).
import { Ajv, type Options } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const COMMON: Options = { useDefaults: true, removeAdditional: true, allErrors: false, addUsedSchema: false, allowUnionTypes: true };

function ajv(coerceTypes: Options['coerceTypes']): Ajv {
  const instance = new Ajv({ ...COMMON, coerceTypes });
  // ajv-formats is CommonJS: its plugin is the module itself.
  (formats as unknown as (a: Ajv) => Ajv)(instance);
  return instance;
}

export function registerValidation(api: FastifyInstance): void {
  const strict = ajv(false);
  const coercing = ajv('array');
  api.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
