// MX's official Node SDK for v20250224 (mx-platform-node 3.x, unmodified) calling mergeAccounts,
// which only that version has, against a running mxemu. Run by scripts/sdk-check.sh; by hand:
//   (cd tests/sdk/v20250224 && npm install)
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/v20250224/merge_accounts.js
'use strict';

const assert = require('node:assert/strict');
const {
  AccountsApi, Configuration, InstitutionsApi, MembersApi, UsersApi,
} = require('mx-platform-node');

const base = process.env.MXEMU_URL || 'http://127.0.0.1:8089';
const config = new Configuration({
  basePath: base,
  username: process.env.MX_CLIENT_ID || 'mxemu-client-id',
  password: process.env.MX_API_KEY || 'mxemu-api-key',
  baseOptions: { headers: { Accept: 'application/json' } },
});
const V = 'v20250224';  // every operation takes the version first and sends Accept-Version

let checks = 0;
let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    ++checks;
    console.log(`ok   ${name}`);
  } catch (e) {
    ++failures;
    const detail = e.response ? `${e.response.status} ${JSON.stringify(e.response.data)}` : e.stack;
    console.log(`FAIL ${name}: ${detail}`);
  }
}

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

async function run() {
  const user = (await new UsersApi(config).createUser(V, { user: { id: `sdk3-${Date.now()}` } }))
    .data.user.guid;
  const fields = (await new InstitutionsApi(config).listInstitutionCredentials(V, 'mxbank')).data
    .credentials;
  const value = (f) => (f.field_name === 'LOGIN' ? 'mxuser' : 'password');
  await new MembersApi(config).createMember(V, user, {
    member: {
      institution_code: 'mxbank',
      credentials: fields.map((f) => ({ guid: f.guid, value: value(f) })),
    },
  });
  await advance(60);
  const accounts = new AccountsApi(config);
  const listed = (await accounts.listUserAccounts(V, 'application/json', user, undefined, undefined,
    undefined, 100))
    .data.accounts;
  const [kept, gone] = listed.filter((a) => a.type === 'CHECKING' || a.type === 'SAVINGS');
  await check('mergeAccounts: the first account is kept and answered', async () => {
    const body = { account: { account_guids: [kept.guid, gone.guid] } };
    const r = await accounts.mergeAccounts(V, user, body);
    assert.equal(r.status, 200);
    assert.equal(r.data.account.guid, kept.guid);
  });
  await check('the merged-away account is gone (404)', async () => {
    assert.equal(await status(accounts.readAccount(V, gone.guid, user)), 404);
  });
  await check('mergeAccounts with one account: 400', async () => {
    const body = { account: { account_guids: [kept.guid] } };
    assert.equal(await status(accounts.mergeAccounts(V, user, body)), 400);
  });
}

run().then(() => {
  console.log(`${checks} checks passed, ${failures} failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}).catch((e) => {
  console.log(e.response ? `${e.response.status} ${JSON.stringify(e.response.data)}` : e.stack);
  process.exitCode = 1;
});
