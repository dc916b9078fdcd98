import { defineConfig } from '@tarojs/cli'

// The smallest Taro 4 + React app, built by `npm run bench` as the size reference of the
// framework itself: the same Taro version, compiler and production mode as the storefront.
export default defineConfig<'webpack5'>({
  projectName: 'hello',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: process.env.HELLO_OUT ?? `dist/${process.env.TARO_ENV}`,
  framework: 'react',
  compiler: 'webpack5',
  cache: { enable: false },
  mini: {},
})
