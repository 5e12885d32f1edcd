// Validates messages as they travel on the bus against the published contract, with ajv (JSON Schema 2020-12, strict):
// every *.schema.json under docs/contracts is loaded by its $id, the MassTransit envelope by asyncapi.json.
// Arguments: message files, or folders of them (*.json). A MassTransit envelope is checked whole, and its "message"
// against the schema named by its messageType; a plain body against the schema named by its "type".
// Prints one line a message and exits 1 if any fails (or none was given).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const contracts = resolve('docs/contracts');
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const schemas = new Map(); // name (CtResulted, ImagingEventBatch) -> $id
for (const folder of ['events', 'batches']) {
  for (const file of readdirSync(join(contracts, folder)).filter(f => f.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(contracts, folder, file), 'utf8'));
    ajv.addSchema(schema);
    schemas.set(file.replace('.schema.json', ''), schema.$id);
  }
}
for (const id of schemas.values()) ajv.getSchema(id); // compiles each now: a schema ajv refuses fails the run, not a message
const envelope = ajv.compile(JSON.parse(readFileSync(join(contracts, 'asyncapi.json'), 'utf8')).components.schemas.MassTransitEnvelope);

const files = process.argv.slice(2).flatMap(arg => statSync(arg).isDirectory()
  ? readdirSync(arg).filter(f => f.endsWith('.json')).sort().map(f => join(arg, f)) : [arg]);
if (files.length === 0) { console.error('usage: node check-messages.mjs <message.json | folder> ...'); process.exit(2); }

const describe = errors => errors.map(e => `${e.instancePath || '/'} ${e.message}`).join('; ');
let failures = 0;
for (const file of files) {
  const body = JSON.parse(readFileSync(file, 'utf8'));
  const wrapped = Array.isArray(body?.messageType) && 'message' in body;
  const type = wrapped ? String(body.messageType[0]).split(':').pop() : body?.type;
  const problems = [];
  if (wrapped && !envelope(body)) problems.push(`envelope: ${describe(envelope.errors)}`);
  const validate = schemas.has(type) ? ajv.getSchema(schemas.get(type)) : undefined;
  if (!validate) problems.push(`no schema for type ${JSON.stringify(type)}`);
  else if (!validate(wrapped ? body.message : body)) problems.push(describe(validate.errors));
  if (problems.length) failures++;
  console.log(`${problems.length ? 'FAIL' : 'ok'} ${type} ${file}${problems.length ? `: ${problems.join('; ')}` : ''}`);
}
console.log(`${files.length - failures} of ${files.length} messages valid`);
process.exit(failures ? 1 : 0);
