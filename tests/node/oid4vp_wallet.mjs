// A wallet built on the third-party OpenID4VP library @openid4vc/openid4vp (the library behind Credo-based
// wallets) answers a skillpass employer's presentation request: it parses the openid4vp:// link, fetches
// the request object by reference and verifies its signature against the verifier's did:web document,
// then presents a credential it received from skillpass through OpenID4VCI (oid4vci_wallet.mjs):
// dc+sd-jwt with a key binding JWT (sd_hash, nonce, aud) disclosing the skills but not the personal claims,
// or jwt_vc_json inside a VP-JWT (nonce, aud); the library builds and posts the direct_post answer.
// The pytest test tests/credentials/oid4vp/test_third_party_wallet.py drives it against a live server.
//
// usage: node oid4vp_wallet.mjs AUTHORIZATION_REQUEST HOLDER_KEY_FILE CREDENTIAL_FILE FORMAT
// prints one JSON line: {"status": <HTTP status of the answer>, "body": ..., "client_id": ..., "purpose": ...,
//                        "query_id": ..., "disclosed": [...]}
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import './host_map.mjs'
import { Openid4vpClient } from '@openid4vc/openid4vp'
import { setGlobalConfig } from '@openid4vc/utils'

const [authorizationRequest, keyFile, credentialFile, format] = process.argv.slice(2)
setGlobalConfig({ allowInsecureUrls: true }) // the test server is plain http on 127.0.0.1

const holder = JSON.parse(readFileSync(keyFile, 'utf8'))
const credential = JSON.parse(readFileSync(credentialFile, 'utf8'))
const privateKey = createPrivateKey({ key: holder.private_jwk, format: 'jwk' })
const b64url = (data) => Buffer.from(data).toString('base64url')
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function base58btcDecode(text) {
  let n = 0n
  for (const char of text) n = n * 58n + BigInt(ALPHABET.indexOf(char))
  let hex = n.toString(16)
  if (hex.length % 2) hex = '0' + hex
  const leading = text.match(/^1*/)[0].length
  return Buffer.concat([Buffer.alloc(leading), Buffer.from(hex, 'hex')])
}

// did:web resolution (over http for the test server on 127.0.0.1): the verification method's public key.
async function resolveDidUrl(didUrl) {
  const [did] = didUrl.split('#')
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent)
  const path = parts.length === 1 ? '/.well-known/did.json' : `/${parts.slice(1).join('/')}/did.json`
  const document = await (await globalThis.fetch(`http://${parts[0]}${path}`)).json()
  const method = document.verificationMethod.find((m) => m.id === didUrl || `${did}${m.id}` === didUrl)
  if (method.publicKeyJwk) return method.publicKeyJwk
  const bytes = base58btcDecode(method.publicKeyMultibase.slice(1)) // z + base58btc of 0xed01 + key
  return { kty: 'OKP', crv: 'Ed25519', x: b64url(bytes.subarray(2)) }
}

const callbacks = {
  hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
  fetch: (...args) => globalThis.fetch(...args),
  verifyJwt: async (signer, { compact }) => {
    if (signer.method !== 'did' || !signer.didUrl.startsWith('did:web:')) return { verified: false }
    const jwk = await resolveDidUrl(signer.didUrl)
    const [header, payload, signature] = compact.split('.')
    const verified = verify(null, Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(signature, 'base64url'))
    return verified ? { verified: true, signerJwk: jwk } : { verified: false }
  },
  signJwt: async () => { throw new Error('no signed response (direct_post)') },
}

function holderJwt(header, payload) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
  const signature = holder.alg === 'EdDSA'
    ? sign(null, Buffer.from(input), privateKey)
    : sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
  return `${input}.${b64url(signature)}`
}

const client = new Openid4vpClient({ callbacks })
const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest })
const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params })
const request = resolved.authorizationRequestPayload
const query = resolved.dcql.query.credentials.find((q) => q.format === format)
const iat = Math.floor(Date.now() / 1000)
let presentation
let disclosed = []
if (format === 'dc+sd-jwt') {
  // keep the skill disclosures, leave out the personal ones (the recipient's hashed email and name)
  const [signed, ...rest] = credential.split('~')
  const disclosures = rest.filter((d) => d !== '')
  const kept = disclosures.filter((d) => {
    const text = Buffer.from(d, 'base64url').toString('utf8')
    return !text.includes('identifier') && !text.includes('identityHash')
  })
  disclosed = kept.map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')))
  const sdJwt = [signed, ...kept].join('~') + '~'
  const sdHash = b64url(createHash('sha256').update(sdJwt).digest())
  presentation = sdJwt + holderJwt({ typ: 'kb+jwt', alg: holder.alg },
    { iat, aud: request.client_id, nonce: request.nonce, sd_hash: sdHash })
} else if (format === 'jwt_vc_json') {
  presentation = holderJwt({ typ: 'JWT', alg: holder.alg, kid: holder.kid }, {
    iss: holder.did, aud: request.client_id, nonce: request.nonce, iat, exp: iat + 300,
    vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'],
      holder: holder.did, verifiableCredential: [credential] },
  })
} else {
  throw new Error(`format ${format} is not presented by this script`)
}
const { authorizationResponsePayload } = await client.createOpenid4vpAuthorizationResponse({
  authorizationRequestPayload: request,
  authorizationResponsePayload: { vp_token: { [query.id]: [presentation] } },
})
const { response } = await client.submitOpenid4vpAuthorizationResponse({
  authorizationRequestPayload: request, authorizationResponsePayload,
})
console.log(JSON.stringify({
  status: response.status, body: await response.json(), client_id: resolved.client.identifier,
  client_prefix: resolved.client.prefix, purpose: request.purpose, query_id: query.id, disclosed,
}))
