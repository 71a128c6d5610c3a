// Benchmark-only: sign/verify throughput of the Digital Bazaar reference stack
// (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022-cryptosuite + ed25519-multikey).
// Usage: node bench.mjs <contexts-dir> <credential.json> <key.json> <n> <rounds>
// Prints one JSON object: {"sign": [cred/s per round], "verify": [...], "verified": true}
import fs from 'node:fs';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const [contextsDir, credentialPath, keyPath, nArg, roundsArg] = process.argv.slice(2);
const n = Number(nArg);
const rounds = Number(roundsArg);
const contextMap = JSON.parse(fs.readFileSync(path.join(contextsDir, 'contexts.json'), 'utf8'));
const contexts = new Map();
for(const [url, file] of Object.entries(contextMap)) {
  contexts.set(url, JSON.parse(fs.readFileSync(path.join(contextsDir, file), 'utf8')));
}
const keyDoc = JSON.parse(fs.readFileSync(keyPath, 'utf8'));
const did = 'did:key:' + keyDoc.publicKeyMultibase;
const vmId = `${did}#${keyDoc.publicKeyMultibase}`;
const keyPair = await Ed25519Multikey.from({
  id: vmId, controller: did, type: 'Multikey',
  publicKeyMultibase: keyDoc.publicKeyMultibase, secretKeyMultibase: keyDoc.secretKeyMultibase
});
const method = {id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: keyDoc.publicKeyMultibase};
const didDocument = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: did, verificationMethod: [method], assertionMethod: [vmId], authentication: [vmId]
};

// offline loader: bundled contexts + the issuer's did:key document; everything else refused
const documentLoader = async url => {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url === did) {
    return {contextUrl: null, documentUrl: url, document: didDocument};
  }
  if(url === vmId) {
    return {contextUrl: null, documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}};
  }
  throw new Error(`refusing to load ${url}`);
};

const credential = JSON.parse(fs.readFileSync(credentialPath, 'utf8'));
const signSuite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022,
  date: '2024-01-01T00:00:00Z'});
const verifySuite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const signedOnce = await vc.issue({credential: structuredClone(credential), suite: signSuite, documentLoader});
const check = await vc.verifyCredential({credential: signedOnce, suite: verifySuite, documentLoader});
if(!check.verified) {
  console.error(JSON.stringify(check, null, 2));
  process.exit(1);
}

const rate = async fn => {
  const start = process.hrtime.bigint();
  for(let i = 0; i < n; i++) {
    await fn(i);
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
};
const sign = [];
const verify = [];
for(let r = 0; r < rounds; r++) {
  sign.push(await rate(async i => {
    const c = structuredClone(credential);
    c.id = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    await vc.issue({credential: c, suite: signSuite, documentLoader});
  }));
  verify.push(await rate(async () => {
    const result = await vc.verifyCredential({credential: signedOnce, suite: verifySuite, documentLoader});
    if(!result.verified) {
      throw new Error('verification failed');
    }
  }));
}
console.log(JSON.stringify({sign, verify, verified: check.verified, signed: signedOnce}));
