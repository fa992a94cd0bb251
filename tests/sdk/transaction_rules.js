// MX's official Node SDK (mx-platform-node, unmodified) calling the transaction-rule
// operations against a running mxemu. Run by scripts/sdk-check.sh; by hand:
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/transaction_rules.js
'use strict';

const assert = require('node:assert/strict');
const { TransactionRulesApi, TransactionsApi } = require('mx-platform-node');
const { config, check, status, connectedMember, main } = require('./harness');

const rules = new TransactionRulesApi(config);
const GIFTS = 'CAT-a619f3a6-ce4b-7395-2b64-b96bd688edb1';

main(async () => {
  const { user } = await connectedMember('mxbank');
  const transactions = new TransactionsApi(config);
  const first = (await transactions.listTransactions(user)).data.transactions[0];
  let rule;
  await check('createTransactionRule files the matching transactions', async () => {
    rule = (await rules.createTransactionRule(user, {
      transaction_rule: {
        match_description: first.description, category_guid: GIFTS, description: 'By rule',
      },
    })).data.transaction_rule;
    assert.equal(rule.match_description, first.description);
    const t = (await transactions.readTransaction(user, first.guid)).data.transaction;
    assert.equal(t.category_guid, GIFTS);
    assert.equal(t.description, 'By rule');
  });
  await check('readTransactionRule, listTransactionRules', async () => {
    assert.deepEqual((await rules.readTransactionRule(rule.guid, user)).data.transaction_rule,
      rule);
    assert.deepEqual((await rules.listTransactionRules(user)).data.transaction_rules, [rule]);
  });
  await check('updateTransactionRule', async () => {
    const updated = (await rules.updateTransactionRule(rule.guid, user, {
      transaction_rule: { description: 'Renamed by rule' },
    })).data.transaction_rule;
    assert.equal(updated.description, 'Renamed by rule');
    assert.equal(updated.category_guid, GIFTS);
  });
  await check('deleteTransactionRule (the SDK has it in TransactionsApi)', async () => {
    assert.equal((await transactions.deleteTransactionRule(rule.guid, user)).status, 204);
    assert.equal(await status(rules.readTransactionRule(rule.guid, user)), 404);
  });
});
