// The Digital Bazaar reference verifier (@digitalbazaar/vc, eddsa-rdfc-2022) checks an ldp_vc a wallet
// received from skillpass, offline: bundled contexts and the issuer's did:key document only. Status is
// skillpass's to check (the test does), so checkStatus here only says the entry is well formed.
//
// usage: node verify_ldp.mjs CONTEXTS_DIR CREDENTIAL.json   prints {"verified": bool, "error": ...}
import fs from 'node:fs'
import path from 'node:path'
import * as vc from '@digitalbazaar/vc'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'

const [contextsDir, credentialPath] = process.argv.slice(2)
const contextMap = JSON.parse(fs.readFileSync(path.join(contextsDir, 'contexts.json'), 'utf8'))
const contexts = new Map(Object.entries(contextMap).map(
  ([url, file]) => [url, JSON.parse(fs.readFileSync(path.join(contextsDir, file), 'utf8'))]))
const credential = JSON.parse(fs.readFileSync(credentialPath, 'utf8'))

function didKeyDocument(did) {
  const fingerprint = did.slice('did:key:'.length)
  const vmId = `${did}#${fingerprint}`
  const method = { id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: fingerprint }
  return { method, document: {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [method], assertionMethod: [vmId], authentication: [vmId] } }
}

const documentLoader = async (url) => {
  if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) }
  if (url.startsWith('did:key:')) {
    const { method, document } = didKeyDocument(url.split('#')[0])
    const found = url.includes('#') ? { '@context': 'https://w3id.org/security/multikey/v1', ...method } : document
    return { contextUrl: null, documentUrl: url, document: found }
  }
  throw new Error(`refusing to load ${url}`)
}

const checkStatus = async ({ credential: c }) => ({ verified: [c.credentialStatus].flat().every(
  (e) => e && e.type === 'BitstringStatusListEntry' && typeof e.statusListCredential === 'string') })
const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 })
const result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus })
console.log(JSON.stringify({ verified: result.verified, error: result.error ? String(result.error) : null }))
