import path from 'node:path'
import zlib from 'node:zlib'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import CompressionPlugin from 'compression-webpack-plugin'
import devConfig from './dev'
import prodConfig from './prod'

// One Taro app, two targets: dist/weapp for WeChat and dist/h5 for the browser and the tests.
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'weshop',
    date: '2026-11-22',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {},
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      // Shared component styles are imported by several pages; their order does not matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      router: { mode: 'hash' },
      webpackChain(chain) {
        // Taro splits only the initial chunks, so every lazily loaded page carried its own copy of
        // the Taro components (about 300 KB): share what the pages have in common instead. Shared
        // code under 20 KB stays with each page that uses it, so the first screen makes fewer requests.
        chain.optimization.splitChunks({ ...chain.optimization.get('splitChunks'), chunks: 'all', minSize: 20_000 })
        if (process.env.NODE_ENV === 'production') {
          // Brotli and gzip copies next to each file that they make smaller (index.html included: the
          // host's static server wants them for the index); the host serves the smallest accepted.
          const common = { test: /\.(js|css|html|svg)$/, threshold: 0, minRatio: 1 }
          chain.plugin('gzip').use(CompressionPlugin, [{ ...common, algorithm: 'gzip', filename: '[path][base].gz' }])
          chain.plugin('brotli').use(CompressionPlugin, [
            {
              ...common,
              algorithm: 'brotliCompress',
              filename: '[path][base].br',
              compressionOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } },
            },
          ])
        }
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  }
  return merge({}, baseConfig, process.env.NODE_ENV === 'development' ? devConfig : prodConfig)
})
