// A reader outside .NET: with a reader account (pj-reader-<name>, journey-admin broker-setup --reader <name>) it
// declares its own queue reader-<name>, binds it to every department exchange (one message per event, contract v1,
// and the departments' batches, contract v2) and prints each event it receives: its type and eventId, no patient data.
//
//   node read-events.mjs [--count 10] [--timeout-seconds 60]
//     exits 0 after --count events, 2 when the timeout passes first
import { account, args, connect, namespaceOf } from './broker.mjs';

// The contract's departments and event names (docs/api-contract.md); the batch of each is <Department>EventBatch.
const departments = {
  diagnosis: ['PatientRegistered', 'DiagnosisConfirmed', 'PerformanceStatusRecorded', 'MultidisciplinaryDecisionRecorded', 'SurveillancePlanStarted', 'ClinicVisitRecorded'],
  chemotherapy: ['ChemoRegimenStarted', 'ChemoCycleCompleted', 'ChemoRegimenStopped', 'AdverseEventRecorded'],
  interventional: ['TacePerformed', 'RfaPerformed'],
  imaging: ['PetCtResulted', 'CtResulted'],
};

const options = args({ count: '10', 'timeout-seconds': '60' });
const broker = account();
const name = /^pj-reader-(.+)$/.exec(broker.username)?.[1];
if (!name) throw new Error(`${broker.username} is no reader's account (pj-reader-<name>)`);
const queue = `reader-${name}`;

const connection = await connect(broker);
const channel = await connection.createChannel();
await channel.assertQueue(queue, { durable: true }); // kept while the reader is away: it misses nothing published after this
for (const [department, events] of Object.entries(departments)) {
  const batch = `${department[0].toUpperCase()}${department.slice(1)}EventBatch`;
  for (const message of [...events, batch]) {
    const exchange = `${namespaceOf(department)}:${message}`;
    // A reader may not declare a department's exchange; one that does not exist yet (no department nor journey has
    // started since the broker was set up) is refused with 404 and closes the channel: bind it on one of its own.
    const probe = await connection.createChannel();
    probe.on('error', () => {});
    try {
      await probe.bindQueue(queue, exchange, '');
      await probe.close();
    } catch (error) {
      if (error.code !== 404) throw error;
      console.error(`not bound: ${exchange} does not exist yet`);
    }
  }
}
console.log(`listening on ${queue}`);

let seen = 0;
const timer = setTimeout(async () => {
  console.error(`timed out after ${seen} event(s)`);
  await connection.close();
  process.exit(2);
}, Number(options['timeout-seconds']) * 1000);

await channel.consume(queue, async (delivery) => {
  const message = JSON.parse(delivery.content.toString('utf8')).message;
  for (const event of message.events ?? [message]) { // a batch holds events; a v1 message is one
    console.log(`${event.type} ${event.eventId}`);
    seen++;
  }
  channel.ack(delivery);
  if (seen >= Number(options.count)) {
    clearTimeout(timer);
    await connection.close();
    process.exit(0);
  }
});
