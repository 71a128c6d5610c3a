// Test-only host mapping, as /etc/hosts would do: HOST_MAP="http://testserver.local=http://127.0.0.1:PORT"
// sends every fetch of the first origin to the second, so a live server can run with the same base URL
// (issuer ids, status list URLs, did:web) as the in-process test app that issued the credentials.
const [from, to] = (process.env.HOST_MAP || '').split('=')
if (from && to) {
  const original = globalThis.fetch
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    return original(url.startsWith(from) ? to + url.slice(from.length) : input, init)
  }
}
