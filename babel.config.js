// Babel preset for Taro (used by the Taro build only; tests transform TypeScript with swc).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
}
