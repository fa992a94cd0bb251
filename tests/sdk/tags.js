// MX's official Node SDK (mx-platform-node, unmodified) calling the tag and tagging operations
// against a running mxemu. Run by scripts/sdk-check.sh; by hand:
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/tags.js
'use strict';

const assert = require('node:assert/strict');
const { TagsApi, TaggingsApi, TransactionsApi } = require('mx-platform-node');
const { config, check, status, connectedMember, main } = require('./harness');

const tags = new TagsApi(config);
const taggings = new TaggingsApi(config);
const transactions = new TransactionsApi(config);

main(async () => {
  const { user } = await connectedMember('mxbank');
  const txn = (await transactions.listTransactions(user)).data.transactions[0].guid;
  await check('listTags: every user has the Business tag', async () => {
    const list = (await tags.listTags(user)).data.tags;
    assert.deepEqual(list.map((t) => t.name), ['Business']);
  });
  let tag;
  await check('createTag, readTag, updateTag', async () => {
    tag = (await tags.createTag(user, { tag: { name: 'Vacation' } })).data.tag;
    assert.deepEqual((await tags.readTag(tag.guid, user)).data.tag, tag);
    tag = (await tags.updateTag(tag.guid, user, { tag: { name: 'Trips' } })).data.tag;
    assert.equal(tag.name, 'Trips');
  });
  let tagging;
  await check('createTagging, readTagging, listTaggings', async () => {
    tagging = (await taggings.createTagging(user, {
      tagging: { tag_guid: tag.guid, transaction_guid: txn },
    })).data.tagging;
    assert.equal(tagging.transaction_guid, txn);
    assert.deepEqual((await taggings.readTagging(tagging.guid, user)).data.tagging, tagging);
    assert.deepEqual((await taggings.listTaggings(user)).data.taggings, [tagging]);
  });
  await check('listTransactionsByTag', async () => {
    const listed = (await transactions.listTransactionsByTag(user, tag.guid)).data.transactions;
    assert.deepEqual(listed.map((t) => t.guid), [txn]);
  });
  await check('updateTagging moves it to the Business tag, deleteTagging', async () => {
    const business = (await tags.listTags(user)).data.tags[0].guid;
    const moved = (await taggings.updateTagging(tagging.guid, user, {
      tagging: { tag_guid: business },
    })).data.tagging;
    assert.equal(moved.tag_guid, business);
    assert.equal((await taggings.deleteTagging(tagging.guid, user)).status, 204);
    assert.equal(await status(taggings.readTagging(tagging.guid, user)), 404);
  });
  await check('deleteTag', async () => {
    const r = await tags.deleteTag(tag.guid, 'application/vnd.mx.api.v1+json', user);
    assert.equal(r.status, 204);
    assert.equal(await status(tags.readTag(tag.guid, user)), 404);
  });
});
