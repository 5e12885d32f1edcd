// A department outside .NET: publishes one fact to the bus as docs/integration.md describes, and waits for the
// broker's confirm. Its account is pj-<department> or pj-<department>.<system> (journey-admin broker-setup
// --department <department> --system <system>); the department is read from the account's name.
//
//   node publish-department.mjs --patient LMS-0001 --occurred-on 2012-07-24 [--ecog 1] [--recorded-by ris-interface]
//     a ClinicVisitRecorded of the diagnosis department
//   node publish-department.mjs --event ct.json
//     any event of the account's department, the JSON of docs/contracts/events/<type>.schema.json (its "type" names it)
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { account, args, connect, namespaceOf } from './broker.mjs';

const options = args({ 'recorded-by': 'node-sample' });
const broker = account();
const department = /^pj-([a-z]+)(\.|$)/.exec(broker.username)?.[1];
if (!department) throw new Error(`${broker.username} is no department's account (pj-<department> or pj-<department>.<system>)`);

const event = options.event
  ? JSON.parse(readFileSync(options.event, 'utf8'))
  : { type: 'ClinicVisitRecorded', patientId: options.patient, occurredOn: options['occurred-on'], ecog: options.ecog === undefined ? null : Number(options.ecog) };
event.eventId ??= randomUUID(); // the id the journey deduplicates on: send the same one again when retrying
event.department = department;
event.recordedAt ??= new Date().toISOString();
event.recordedBy ??= options['recorded-by'];
event.schemaVersion ??= 1;
if (!event.type || !event.patientId || !event.occurredOn) throw new Error('an event needs type, patientId and occurredOn');

const messageType = `${namespaceOf(department)}:${event.type}`; // also the exchange's name
const envelope = {
  messageId: event.eventId,
  messageType: [`urn:message:${messageType}`],
  sentTime: new Date().toISOString(),
  message: event,
};

const connection = await connect(broker);
try {
  const channel = await connection.createConfirmChannel();
  // The journey declares and binds every department exchange when it starts; declaring it here too is harmless
  // (the same arguments) and lets a department publish before the journey ever ran.
  await channel.assertExchange(messageType, 'fanout', { durable: true });
  channel.publish(messageType, '', Buffer.from(JSON.stringify(envelope)), {
    contentType: 'application/vnd.masstransit+json',
    messageId: event.eventId,
    userId: broker.username, // the broker refuses any other; the journey records only its department's users
    persistent: true,
  });
  await channel.waitForConfirms();
  console.log(`published ${event.type} ${event.eventId} to ${messageType}, confirmed by the broker`);
} finally {
  await connection.close();
}
