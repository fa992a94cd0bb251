// MX's official Node SDK (mx-platform-node, unmodified) calling the category and merchant
// operations, and updateTransaction with a category, against a running mxemu. Run by
// scripts/sdk-check.sh, which starts the emulator; by hand:
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/categories_merchants.js
// Exit code 0 when every check holds; each failed check is printed.
'use strict';

const assert = require('node:assert/strict');
const { CategoriesApi, MerchantsApi, TransactionsApi } = require('mx-platform-node');
const { config, check, status, connectedMember, main } = require('./harness');

const categories = new CategoriesApi(config);
const merchants = new MerchantsApi(config);

const FOOD_AND_DINING = 'CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb';
const GROCERIES = 'CAT-9588eaad-90a4-bb5c-66c8-1812503d0db8';

main(async () => {
  const { user } = await connectedMember('mxbank');

  let defaults;
  await check('listDefaultCategories: 119, every page', async () => {
    const first = (await categories.listDefaultCategories(1, 100)).data;
    const second = (await categories.listDefaultCategories(2, 100)).data;
    defaults = first.categories.concat(second.categories);
    assert.equal(first.pagination.total_entries, 119);
    assert.equal(defaults.length, 119);
    assert.ok(defaults.every((c) => c.is_default === true));
  });
  await check('readDefaultCategory', async () => {
    const c = (await categories.readDefaultCategory(GROCERIES)).data.category;
    assert.equal(c.name, 'Groceries');
    assert.equal(c.parent_guid, FOOD_AND_DINING);
  });
  await check('listDefaultCategoriesByUser', async () => {
    const r = (await categories.listDefaultCategoriesByUser(user, 1, 1000)).data;
    assert.deepEqual(r.categories, defaults);
  });
  let own;
  await check('createCategory', async () => {
    own = (await categories.createCategory(user, {
      category: { name: 'Farmers Market', parent_guid: FOOD_AND_DINING, metadata: 'sdk' },
    })).data.category;
    assert.equal(own.is_default, false);
    assert.equal(own.parent_guid, FOOD_AND_DINING);
    assert.equal(own.metadata, 'sdk');
  });
  await check('listCategories: the defaults and the user\'s own', async () => {
    const r = (await categories.listCategories(user, 1, 1000)).data;
    assert.equal(r.pagination.total_entries, 120);
    assert.deepEqual(r.categories[119], own);
  });
  await check('readCategory', async () => {
    assert.deepEqual((await categories.readCategory(own.guid, user)).data.category, own);
  });
  const transactions = new TransactionsApi(config);
  const txn = (await transactions.listTransactions(user)).data.transactions[0].guid;
  await check('updateTransaction with the user\'s category_guid', async () => {
    const t = (await transactions.updateTransaction(user, txn, {
      transaction: { category_guid: own.guid },
    })).data.transaction;
    assert.equal(t.category, 'Farmers Market');
    assert.equal(t.top_level_category, 'Food & Dining');
  });
  await check('updateCategory renames it on its transactions', async () => {
    const c = (await categories.updateCategory(own.guid, user, {
      category: { name: 'Farm Stands' },
    })).data.category;
    assert.equal(c.name, 'Farm Stands');
    const t = (await transactions.readTransaction(user, txn)).data.transaction;
    assert.equal(t.category, 'Farm Stands');
  });
  await check('deleteCategory: 204, its transactions go to the parent', async () => {
    assert.equal((await categories.deleteCategory(own.guid, user)).status, 204);
    assert.equal(await status(categories.readCategory(own.guid, user)), 404);
    const t = (await transactions.readTransaction(user, txn)).data.transaction;
    assert.equal(t.category_guid, FOOD_AND_DINING);
  });
  await check('updateCategory of a default category is refused (400)', async () => {
    assert.equal(await status(categories.updateCategory(GROCERIES, user, {
      category: { name: 'Food' },
    })), 400);
  });
  let whole;
  await check('listMerchants with a name', async () => {
    const r = (await merchants.listMerchants('Whole Foods')).data;
    assert.equal(r.merchants.length, 1);
    whole = r.merchants[0];
    assert.equal(whole.name, 'Whole Foods Market');
    const all = (await merchants.listMerchants(undefined, 1, 1000)).data;
    assert.equal(all.merchants.length, all.pagination.total_entries);
  });
  await check('readMerchant', async () => {
    assert.deepEqual((await merchants.readMerchant(whole.guid)).data.merchant, whole);
  });
  await check('every category_guid and merchant_guid on the transactions reads', async () => {
    const txns = (await transactions.listTransactions(user, 1, 1000)).data.transactions;
    for (const t of txns) {
      await categories.readDefaultCategory(t.category_guid);
      if (t.merchant_guid) await merchants.readMerchant(t.merchant_guid);
    }
  });
  await check('readMerchantLocation: the store an in-person transaction names', async () => {
    const txns = (await transactions.listTransactions(user, 1, 1000)).data.transactions;
    const t = txns.find((x) => x.merchant_location_guid);
    assert.ok(t, 'an in-person transaction');
    const l = (await merchants.readMerchantLocation(t.merchant_location_guid)).data.merchant_location;
    assert.equal(l.merchant_guid, t.merchant_guid);
    assert.equal(l.latitude, t.latitude);
  });
});
