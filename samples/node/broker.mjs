// The connection both samples make, from the environment only (docs/integration.md, "The bus"):
//   PJ_AMQP_HOST (localhost), PJ_AMQP_PORT (5672), PJ_AMQP_VHOST (patientjourney), PJ_AMQP_USER,
//   PJ_AMQP_PASSWORD_FILE (the file journey-admin broker-setup wrote) or PJ_AMQP_PASSWORD.
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';

export function account() {
  const user = process.env.PJ_AMQP_USER;
  const password = process.env.PJ_AMQP_PASSWORD_FILE
    ? readFileSync(process.env.PJ_AMQP_PASSWORD_FILE, 'utf8').trim()
    : process.env.PJ_AMQP_PASSWORD;
  if (!user || !password) throw new Error('set PJ_AMQP_USER and PJ_AMQP_PASSWORD_FILE (or PJ_AMQP_PASSWORD)');
  return {
    protocol: 'amqp',
    hostname: process.env.PJ_AMQP_HOST ?? 'localhost',
    port: Number(process.env.PJ_AMQP_PORT ?? 5672),
    vhost: process.env.PJ_AMQP_VHOST ?? 'patientjourney',
    username: user,
    password,
  };
}

export const connect = (a) => amqp.connect(a);

// A department's exchanges are named by its contract namespace: PatientJourney.Contracts.<Department>:<Message>.
export const namespaceOf = (department) => `PatientJourney.Contracts.${department[0].toUpperCase()}${department.slice(1)}`;

// Named command-line arguments: --name value.
export function args(defaults) {
  const parsed = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`expected --name value, got ${argv[i]}`);
    parsed[argv[i].slice(2)] = argv[i + 1];
  }
  return parsed;
}
