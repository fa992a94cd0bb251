// MX's official Node SDK (mx-platform-node, unmodified) calling the processor-token operations
// against a running mxemu: the client's code and token list with its Basic credentials, the
// processor's reads with its bearer token. The exchange of the code for the token is in neither
// spec nor the SDK (MX's processor guide documents it), so it is a plain fetch here, as a
// processor's own HTTP client would make it. Run by scripts/sdk-check.sh; by hand:
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/processor_tokens.js
'use strict';

const assert = require('node:assert/strict');
const { AccountsApi, Configuration, MembersApi, ProcessorTokenApi } = require('mx-platform-node');
const { config, base, check, status, advance, connectedMember, main } = require('./harness');

const client = new ProcessorTokenApi(config);
const members = new MembersApi(config);

// The processor's side: POST /token with its own credentials (here the emulator's default
// tenant, which may stand for a processor as well as a client).
async function exchange(code) {
  const auth = Buffer.from(`${config.username}:${config.password}`).toString('base64');
  return fetch(`${base}/token?grant_type=authorization_code&code=${encodeURIComponent(code)}`, {
    method: 'POST',
    headers: { Authorization: `Basic ${auth}`, Accept: 'application/vnd.mx.api.v1+json' },
  });
}

function processorApi(accessToken) {
  return new ProcessorTokenApi(new Configuration({
    basePath: base,
    accessToken,
    baseOptions: { headers: { Accept: 'application/vnd.mx.api.v1+json' } },
  }));
}

main(async () => {
  const { user, member } = await connectedMember('mxbank');
  await members.verifyMember(member, user);
  await advance(60);
  const account = (await new AccountsApi(config).listAccountNumbersByMember(member, user)).data
    .account_numbers[0].account_guid;
  const scope = `user-guid:${user} member-guid:${member} account-guid:${account} read-protected`;

  let code;
  await check('requestAuthorizationCode', async () => {
    const r = await client.requestAuthorizationCode({ authorization_code: { scope } });
    assert.equal(r.status, 200);
    code = r.data.authorization_code.code;
    assert.equal(code.length, 42);
  });
  await check('requestAuthorizationCode with an unknown scope part: 400', async () => {
    const body = { authorization_code: { scope: `user-guid:${user} everything` } };
    assert.equal(await status(client.requestAuthorizationCode(body)), 400);
  });
  let token;
  await check('POST /token (the processor guide): a Bearer token for the scope', async () => {
    const r = await exchange(code);
    assert.equal(r.status, 200);
    const grant = await r.json();
    assert.equal(grant.token_type, 'Bearer');
    assert.equal(grant.scope, scope);
    token = grant.access_token;
    assert.equal((await exchange(code)).status, 400, 'a code is one-time use');
  });
  const processor = processorApi(token);
  await check('requestAccountNumber', async () => {
    const r = await processor.requestAccountNumber();
    assert.equal(r.data.account_numbers.length, 1);
    assert.equal(r.data.account_numbers[0].account_guid, account);
  });
  await check('readAccountBalance', async () => {
    const r = await processor.readAccountBalance();
    assert.equal(r.data.payment_account.account_guid, account);
    assert.equal(typeof r.data.payment_account.balance, 'number');
  });
  await check('getAccountOwnerInfo (GET /account/transactions)', async () => {
    const r = await processor.getAccountOwnerInfo();
    assert.ok(Array.isArray(r.data.account_owners));
    assert.equal(typeof r.data.pagination.total_entries, 'number');
  });
  await advance(3 * 3600);
  await check('checkRealTimeAccountBalance: the member, aggregating', async () => {
    const r = await processor.checkRealTimeAccountBalance();
    assert.equal(r.data.member.guid, member);
    assert.equal(r.data.member.is_being_aggregated, true);
  });
  await check('listTokens (a GET with a JSON body)', async () => {
    const r = await client.listTokens({ scope: { user_guid: user } });
    assert.equal(r.data.tokens.length, 1);
    assert.equal(r.data.tokens[0].access_token, token);
    assert.equal(r.data.tokens[0].active, true);
    assert.match(r.data.tokens[0].payment_processor_guid, /^PPR-/);
  });
  await check('deprecatedRequestPaymentProcessorAuthorizationCode', async () => {
    const r = await client.deprecatedRequestPaymentProcessorAuthorizationCode({
      payment_processor_authorization_code: {
        user_guid: user, member_guid: member, account_guid: account,
      },
    });
    assert.equal(r.data.payment_processor_authorization_code.authorization_code.length, 42);
  });
  await check('a token 60 days old: 401', async () => {
    await advance(60 * 86400);
    assert.equal(await status(processor.readAccountBalance()), 401);
  });
});
