import type { UserConfigExport } from '@tarojs/cli'
import TerserPlugin from 'terser-webpack-plugin'

/**
 * Taro writes its WXS helpers (utils.wxs) as readable source: minify them too. Whitespace and local
 * names only (no compression passes), so the output stays within WXS's ES5 subset. Terser's own
 * entry point accepts only `.js` names, hence the wrapper (run in-process: it is one small file).
 */
class WxsMinifier extends TerserPlugin {
  constructor() {
    super({
      test: /\.wxs$/,
      parallel: false,
      extractComments: false,
      minify: (input, sourceMap, options, comments) => TerserPlugin.terserMinify(input, sourceMap, options, comments),
      terserOptions: { ecma: 5, compress: false, mangle: true, format: { ecma: 5, comments: false, ascii_only: true } },
    })
  }
}

export default {
  mini: {
    // Taro minifies the JS (terser) and the WXSS (csso) of a production build but writes its shared
    // templates (base.wxml, comp.wxml) indented; collapse their whitespace too (html-minifier, which
    // Taro's runner brings). WeChat's code scan checks all three are compressed.
    minifyXML: { collapseWhitespace: true },
    webpackChain(chain) {
      // Keep the licence banners inside the minified files instead of extracting them to
      // `*.LICENSE.txt` files that nothing in the package loads (the scan counts those as unused files).
      chain.optimization.minimizer('terserPlugin').tap(([options]) => [
        {
          ...options,
          extractComments: false,
          terserOptions: { ...options.terserOptions, output: { ...options.terserOptions?.output, comments: 'some' } },
        },
      ])
      chain.optimization.minimizer('wxs').use(WxsMinifier)
    },
  },
  h5: {},
} satisfies UserConfigExport<'webpack5'>
