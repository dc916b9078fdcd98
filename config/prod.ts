import type { UserConfigExport } from '@tarojs/cli'

export default {
  mini: {},
  h5: {
    webpackChain(chain) {
      // webpack's default size hint (244 KiB of uncompressed script) fired on every build of this app
      // and so said nothing. These budgets sit about 20% above what the build measured (the first
      // screen's scripts 368 KiB, 106 KiB as brotli; the largest chunk, the Taro components the pages
      // share, 617 KiB, 149 KiB as brotli), so a build that grows past them warns. Only scripts and
      // styles count (not their .br/.gz copies). The weapp's budget is scripts/size.ts and WeChat's scan.
      chain.performance
        .hints('warning')
        .maxEntrypointSize(450 * 1024)
        .maxAssetSize(740 * 1024)
        .assetFilter((file: string) => /\.(js|css)$/.test(file))
    },
  },
} satisfies UserConfigExport<'webpack5'>
