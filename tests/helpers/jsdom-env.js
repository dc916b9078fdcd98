/**
 * jsdom for miniprogram-simulate (it renders into a DOM), plus the Node globals our test helpers
 * need there: the pg client (TextEncoder) and HTTP calls to the stack (fetch).
 */
const { TestEnvironment } = require('jest-environment-jsdom')

class SimulateEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context)
    Object.assign(this.global, {
      TextEncoder, TextDecoder, fetch, Request, Response, Headers, AbortController, structuredClone,
      setImmediate, clearImmediate,
    })
  }
}

module.exports = SimulateEnvironment
