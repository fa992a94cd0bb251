// What every v20250224 SDK check shares: MX's v20250224 SDK configured for the emulator at
// MXEMU_URL (every operation takes the version first and sends it as Accept-Version), a check
// runner that prints each result, the emulator's control API for time, and a connected member.
'use strict';

const { Configuration, InstitutionsApi, MembersApi, UsersApi } = require('mx-platform-node');

const base = process.env.MXEMU_URL || 'http://127.0.0.1:8089';
const V = 'v20250224';
const config = new Configuration({
  basePath: base,
  username: process.env.MX_CLIENT_ID || 'mxemu-client-id',
  password: process.env.MX_API_KEY || 'mxemu-api-key',
  baseOptions: { headers: { Accept: 'application/json' } },
});

const results = { checks: 0, failures: 0 };

async function check(name, fn) {
  try {
    await fn();
    ++results.checks;
    console.log(`ok   ${name}`);
  } catch (e) {
    ++results.failures;
    const detail = e.response ? `${e.response.status} ${JSON.stringify(e.response.data)}` : e.stack;
    console.log(`FAIL ${name}: ${detail}`);
  }
}

// The HTTP status of an SDK call, whether it succeeded or MX answered an error.
async function status(promise) {
  try {
    return (await promise).status;
  } catch (e) {
    if (e.response) return e.response.status;
    throw e;
  }
}

async function advance(seconds) {
  const r = await fetch(`${base}/_emulator/clock/advance`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  if (r.status !== 200) throw new Error(`clock/advance answered ${r.status}`);
}

// A new user with a connected member at `institution` (its first aggregation done).
async function connectedMember(institution) {
  const user = (await new UsersApi(config).createUser(V, { user: { id: `sdk3-${Date.now()}` } }))
    .data.user.guid;
  const fields = (await new InstitutionsApi(config).listInstitutionCredentials(V, institution))
    .data.credentials;
  const value = (f) => (f.field_name === 'LOGIN' ? 'mxuser' : 'password');
  const member = (await new MembersApi(config).createMember(V, user, {
    member: {
      institution_code: institution,
      credentials: fields.map((f) => ({ guid: f.guid, value: value(f) })),
    },
  })).data.member.guid;
  await advance(60);
  return { user, member };
}

// Prints the totals and sets the exit code; `run` is the script's async body.
function main(run) {
  run().then(() => {
    console.log(`${results.checks} checks passed, ${results.failures} failed`);
    process.exitCode = results.failures === 0 ? 0 : 1;
  }).catch((e) => {
    console.log(e.response ? `${e.response.status} ${JSON.stringify(e.response.data)}` : e.stack);
    process.exitCode = 1;
  });
}

module.exports = { V, config, base, check, status, advance, connectedMember, main };
