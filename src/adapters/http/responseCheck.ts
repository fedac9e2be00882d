/**
 * How answers are serialised: JSON.stringify, never Fastify's schema-driven serialiser, which
 * silently drops every property a response schema does not declare (a schema that falls behind
 * its payload would then shorten answers without anyone noticing). With `check` on (the tests),
 * every answer is also validated, as its client will parse it, against the schema its route
 * declares for the status sent: an answer outside its schema fails as a 500 whose log names the
 * route and the mismatch, so a schema can never drift from its payload unseen.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';

export class ResponseSchemaMismatchError extends Error {}

export const responseSerializer = (check: boolean): FastifySerializerCompiler<unknown> => {
  if (!check) return () => (data: unknown) => JSON.stringify(data);
  // Formats are descriptions in our schemas (the document shows them), not checked here.
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  return ({ schema, method, url, httpStatus }) => {
    let validate: ValidateFunction | undefined;
    return (data: unknown) => {
      const json = JSON.stringify(data);
      validate ??= ajv.compile(schema as object);
      if (!validate(json === undefined ? undefined : JSON.parse(json))) {
        throw new ResponseSchemaMismatchError(`${method} ${url} answered ${httpStatus} outside its response schema: ${ajv.errorsText(validate.errors)}; body ${json?.slice(0, 300)}`);
      }
      return json;
    };
  };
};
