// The development sign-in's demo users and clients (./run.sh), kept in one 0600 file so the passwords stay the same
// from one ./run.sh to the next. Passwords and secrets are random per checkout: nothing guessable, nothing committed.
//
//   node demo.mjs <file> <issuer> <dashboard-url>   writes the file (new passwords only if it does not exist)
//   node demo.mjs <file> --secret <client_id>        prints that client's secret
//   node demo.mjs <file> --print                     prints the users and passwords (for the terminal of ./run.sh)
import crypto from 'node:crypto';
import fs from 'node:fs';

const [file, arg, extra] = process.argv.slice(2);
const secret = () => crypto.randomBytes(12).toString('base64url');
const departments = ['diagnosis', 'chemotherapy', 'interventional', 'imaging'];

if (arg === '--secret') {
  const client = JSON.parse(fs.readFileSync(file, 'utf8')).clients.find((c) => c.client_id === extra);
  process.stdout.write(client?.client_secret ?? '');
} else if (arg === '--print') {
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  const width = Math.max(...config.users.map((u) => u.username.length));
  for (const user of config.users) console.log(`    ${user.username.padEnd(width)}  ${user.password}   (${user.name}; ${user.roles.join(', ')})`);
  const feeds = config.clients.filter((c) => c.grant_types.includes('client_credentials'));
  console.log(`  Department systems (client credentials at ${config.issuer}/token): ${feeds.map((c) => c.client_id).join(', ')}; secrets in ${file}`);
} else if (fs.existsSync(file)) {
  // Same users and passwords; only the address may have moved (SIGN_IN_PORT, the dashboard's port).
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  const port = new URL(extra).port;
  config.issuer = arg;
  config.clients.find((c) => c.client_id === 'dashboard').redirect_uris = [`http://localhost:${port}/signin-oidc`, `http://127.0.0.1:${port}/signin-oidc`];
  fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
} else {
  const issuer = arg;
  const dashboard = new URL(extra);
  const user = (username, name, roles) => ({ username, password: secret(), name, roles });
  const config = {
    issuer,
    users: [
      user('nurse.navigator', 'Nurse navigator', ['clinician', 'navigator']),
      user('oncologist', 'Oncologist', ['clinician']),
      user('auditor', 'Auditor', ['auditor']),
      ...departments.map((d) => user(`${d}.desk`, `${d[0].toUpperCase()}${d.slice(1)} desk`, [`department:${d}`])),
    ],
    clients: [
      {
        client_id: 'dashboard',
        client_secret: secret(),
        grant_types: ['authorization_code'],
        // The dashboard as a browser may reach it: localhost or 127.0.0.1.
        redirect_uris: [`http://localhost:${dashboard.port}/signin-oidc`, `http://127.0.0.1:${dashboard.port}/signin-oidc`],
      },
      // What a department's own system would use to post facts: a token of its own, by client credentials.
      ...departments.map((d) => ({ client_id: `${d}-system`, client_secret: secret(), grant_types: ['client_credentials'], roles: [`department:${d}`] })),
    ],
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
}
