// MX's official Node SDK for v20250224 (mx-platform-node 3.x, unmodified) calling mergeAccounts,
// which only that version has, against a running mxemu. Run by scripts/sdk-check.sh; by hand:
//   (cd tests/sdk/v20250224 && npm install)
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/v20250224/merge_accounts.js
'use strict';

const assert = require('node:assert/strict');
const { AccountsApi } = require('mx-platform-node');
const { V, config, check, status, connectedMember, main } = require('./harness');

main(async () => {
  const { user } = await connectedMember('mxbank');
  const accounts = new AccountsApi(config);
  const listed = (await accounts.listUserAccounts(V, 'application/json', user, undefined, undefined,
    undefined, 100)).data.accounts;
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
});
