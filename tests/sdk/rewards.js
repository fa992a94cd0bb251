// MX's official Node SDK (mx-platform-node, unmodified) calling the rewards operations against
// a running mxemu. Run by scripts/sdk-check.sh; by hand:
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/rewards.js
'use strict';

const assert = require('node:assert/strict');
const { AccountsApi, RewardsApi, MembersApi } = require('mx-platform-node');
const { config, check, status, advance, connectedMember, main } = require('./harness');

const rewards = new RewardsApi(config);

main(async () => {
  const { user, member } = await connectedMember('mxbank');
  await check('fetchRewards: 200 with the member', async () => {
    const r = await rewards.fetchRewards(user, member);
    assert.equal(r.status, 200);
    assert.equal(r.data.member.guid, member);
    assert.equal(r.data.member.is_being_aggregated, true);
  });
  await advance(60);
  let first;
  await check('listRewards: the credit card\'s expiring points', async () => {
    const list = (await rewards.listRewards(user, member)).data;
    assert.equal(list.rewards.length, 1);
    first = list.rewards[0];
    assert.equal(first.balance_type, 'EXPIRING_BALANCE');
    assert.equal(first.unit_type, 'POINTS');
    assert.ok(Number.isInteger(first.balance));
  });
  await check('readRewards', async () => {
    assert.deepEqual((await rewards.readRewards(user, member, first.guid)).data.reward, first);
    assert.equal(await status(rewards.readRewards(user, member, 'RWD-none')), 404);
  });
  await check('creditCard: the product a credit card account names', async () => {
    const accounts = (await new AccountsApi(config).listUserAccounts(user, undefined, undefined,
      undefined, 100)).data.accounts;
    const card = accounts.find((a) => a.type === 'CREDIT_CARD');
    assert.match(card.credit_card_product_guid, /^CCA-/);
    const product = (await rewards.creditCard(card.credit_card_product_guid)).data
      .credit_card_product;
    assert.equal(product.guid, card.credit_card_product_guid);
    assert.equal(typeof product.annual_fee, 'number');
    assert.equal(await status(rewards.creditCard('CCA-none')), 404);
  });
  await check('fetchRewards at an institution without rewards is 400', async () => {
    const other = (await new MembersApi(config).listMembers(user)).data.members;
    assert.equal(other.length, 1);
    const plain = await connectedMember('summit_ridge_bank');
    assert.equal(await status(rewards.fetchRewards(plain.user, plain.member)), 400);
  });
});
