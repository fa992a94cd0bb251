// MX's official Node SDK for v20250224 (mx-platform-node 3.x, unmodified) calling the processor
// token operations and creditCard in that version (Accept-Version: v20250224). The code's
// exchange for a token is in neither spec nor SDK (MX's processor guide), so it is a fetch.
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/v20250224/processor_tokens.js
'use strict';

const assert = require('node:assert/strict');
const {
  AccountsApi, Configuration, MembersApi, ProcessorTokenApi, RewardsApi,
} = require('mx-platform-node');
const { V, config, base, check, advance, connectedMember, main } = require('./harness');

main(async () => {
  const { user, member } = await connectedMember('mxbank');
  await new MembersApi(config).verifyMember(V, member, user);
  await advance(60);
  const accounts = new AccountsApi(config);
  const account = (await accounts.listAccountNumbersByMember(V, member, user)).data
    .account_numbers[0].account_guid;
  const client = new ProcessorTokenApi(config);
  const scope = `user-guid:${user} member-guid:${member} account-guid:${account} read-protected`;
  let token;
  await check('requestAuthorizationCode, then POST /token', async () => {
    const code = (await client.requestAuthorizationCode(V, { authorization_code: { scope } })).data
      .authorization_code.code;
    const auth = Buffer.from(`${config.username}:${config.password}`).toString('base64');
    const r = await fetch(`${base}/token?grant_type=authorization_code&code=${code}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${auth}`, 'Accept-Version': V },
    });
    assert.equal(r.status, 200);
    token = (await r.json()).access_token;
  });
  const processor = new ProcessorTokenApi(new Configuration({ basePath: base, accessToken: token }));
  await check('requestAccountNumber, readAccountBalance, getAccountOwnerInfo', async () => {
    assert.equal((await processor.requestAccountNumber(V)).data.account_numbers[0].account_guid,
      account);
    assert.equal((await processor.readAccountBalance(V)).data.payment_account.account_guid,
      account);
    assert.ok(Array.isArray((await processor.getAccountOwnerInfo(V)).data.account_owners));
  });
  await advance(3 * 3600);
  await check('checkRealTimeAccountBalance', async () => {
    assert.equal((await processor.checkRealTimeAccountBalance(V)).data.member.guid, member);
  });
  await check('listTokens', async () => {
    const tokens = (await client.listTokens(V, { scope: { member_guid: member } })).data.tokens;
    assert.deepEqual(tokens.map((t) => t.access_token), [token]);
  });
  await check('creditCard', async () => {
    const listed = (await accounts.listUserAccounts(V, 'application/json', user, undefined,
      undefined, undefined, 100)).data.accounts;
    const card = listed.find((a) => a.type === 'CREDIT_CARD');
    const product = (await new RewardsApi(config).creditCard(V, card.credit_card_product_guid))
      .data.credit_card_product;
    assert.equal(product.guid, card.credit_card_product_guid);
  });
});
