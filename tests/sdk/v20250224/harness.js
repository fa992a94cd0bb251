// What every v20250224 SDK check shares: MX's v20250224 SDK (this directory's node_modules)
// configured for the emulator at MXEMU_URL (every operation takes the version first and sends it
// as Accept-Version), and a connected member; the check runner and the clock are the v20111101
// checks' (../harness.js, which needs ../node_modules as well).
'use strict';

const { Configuration, InstitutionsApi, MembersApi, UsersApi } = require('mx-platform-node');
const { base, check, status, advance, main } = require('../harness');

const V = 'v20250224';
const config = new Configuration({
  basePath: base,
  username: process.env.MX_CLIENT_ID || 'mxemu-client-id',
  password: process.env.MX_API_KEY || 'mxemu-api-key',
  baseOptions: { headers: { Accept: 'application/json' } },
});

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

module.exports = { V, config, base, check, status, advance, connectedMember, main };
