// A wallet built on the third-party OpenID4VCI client @openid4vc/openid4vci (the library behind
// Credo-based wallets): it resolves a credential offer, takes the pre-authorized code flow (with the
// tx_code when given), asks for a c_nonce, proves possession of a key of its own and receives the
// credential. The pytest test in tests/credentials/oid4vci/test_third_party_wallet.py runs it against a
// live skillpass server and verifies what comes back.
//
// usage: node oid4vci_wallet.mjs OFFER_URI TX_CODE|- CONFIGURATION_ID did:key|did:jwk|jwk
// (jwk: a P-256 key sent as the proof's 'jwk' header, the binding SD-JWT VC asks for)
// prints one JSON line: {"holder_did": ..., "holder_jwk": ..., "credential": ..., "format": ...}
// With HOLDER_KEY_OUT=FILE it also writes the holder's private JWK there, so that oid4vp_wallet.mjs can
// present what this wallet received.
import { writeFileSync } from 'node:fs'
import './host_map.mjs'
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { Openid4vciClient } from '@openid4vc/openid4vci'
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2'
import { setGlobalConfig } from '@openid4vc/utils'

const [offerUri, txCode, configurationId, method] = process.argv.slice(2)
setGlobalConfig({ allowInsecureUrls: true }) // the test server is plain http on 127.0.0.1

const b64url = (data) => Buffer.from(data).toString('base64url')
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function base58btc(bytes) {
  let n = BigInt('0x' + Buffer.from(bytes).toString('hex'))
  let out = ''
  while (n > 0n) { out = ALPHABET[Number(n % 58n)] + out; n /= 58n }
  for (const byte of bytes) { if (byte !== 0) break; out = '1' + out }
  return 'z' + out
}

// The holder key: Ed25519 as did:key, or P-256 as did:jwk.
function holderKey(kind) {
  if (kind === 'did:key') {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const jwk = publicKey.export({ format: 'jwk' })
    const fingerprint = base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(jwk.x, 'base64url')]))
    return { did: `did:key:${fingerprint}`, kid: `did:key:${fingerprint}#${fingerprint}`, alg: 'EdDSA', jwk, privateKey }
  }
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' })
  const jwk = { crv, kty, x, y }
  const did = `did:jwk:${b64url(JSON.stringify(jwk))}`
  return { did, kid: `${did}#0`, alg: 'ES256', jwk, privateKey }
}

const holder = holderKey(method)
if (process.env.HOLDER_KEY_OUT) {
  writeFileSync(process.env.HOLDER_KEY_OUT, JSON.stringify({
    did: holder.did, kid: holder.kid, alg: holder.alg, jwk: holder.jwk, private_jwk: holder.privateKey.export({ format: 'jwk' }),
  }))
}

const callbacks = {
  hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
  generateRandom: (length) => randomBytes(length),
  clientAuthentication: clientAuthenticationAnonymous(),
  signJwt: async (signer, { header, payload }) => {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
    const signature = holder.alg === 'EdDSA'
      ? sign(null, Buffer.from(input), holder.privateKey)
      : sign('sha256', Buffer.from(input), { key: holder.privateKey, dsaEncoding: 'ieee-p1363' })
    return { jwt: `${input}.${b64url(signature)}`, signerJwk: holder.jwk }
  },
}

const client = new Openid4vciClient({ callbacks })
const credentialOffer = await client.resolveCredentialOffer(offerUri)
const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
  credentialOffer, issuerMetadata, txCode: txCode === '-' ? undefined : txCode,
})
const { c_nonce } = await client.requestNonce({ issuerMetadata })
const signer = method === 'jwk'
  ? { method: 'jwk', publicJwk: holder.jwk, alg: holder.alg }
  : { method: 'did', didUrl: holder.kid, alg: holder.alg }
const { jwt } = await client.createCredentialRequestJwtProof({
  issuerMetadata, credentialConfigurationId: configurationId, nonce: c_nonce, signer,
})
const response = await client.retrieveCredentials({
  issuerMetadata, credentialConfigurationId: configurationId, accessToken: accessTokenResponse.access_token,
  proofs: { jwt: [jwt] }, // OpenID4VCI 1.0 form
})
if (!response.credentialResponse || !response.credentialResponse.credentials) {
  console.error(JSON.stringify(response))
  process.exit(2)
}
const [{ credential }] = response.credentialResponse.credentials
console.log(JSON.stringify({
  holder_did: holder.did, holder_jwk: holder.jwk, credential, format: issuerMetadata.credentialIssuer.credential_configurations_supported[configurationId].format,
  offered: credentialOffer.credential_configuration_ids, tx_code_asked: Boolean(credentialOffer.grants?.['urn:ietf:params:oauth:grant-type:pre-authorized_code']?.tx_code),
}))
