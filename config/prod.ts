import type { UserConfigExport } from '@tarojs/cli'
import TerserPlugin from 'terser-webpack-plugin'
import type { Compiler } from 'webpack'

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

/**
 * Taro writes its templates (base.wxml, comp.wxml…) indented. Its own `minifyXML` option runs an HTML
 * minifier, which drops `</input>` (a void element in HTML, not in WXML) and breaks the template, so
 * collapse the whitespace here instead: whitespace between two tags goes, and a line break with its
 * indentation becomes one space. Taro's templates put every text in a binding ({{i.v}}), so nothing
 * that renders changes.
 */
export function minifyWxml(wxml: string): string {
  return wxml
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/>\s+</g, '><')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
}

class WxmlMinifier {
  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack
    compiler.hooks.thisCompilation.tap('WxmlMinifier', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'WxmlMinifier', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE }, (assets) => {
        for (const name of Object.keys(assets)) {
          if (!name.endsWith('.wxml')) continue
          const source = assets[name]!.source().toString()
          compilation.updateAsset(name, new sources.RawSource(minifyWxml(source)))
        }
      })
    })
  }
}

export default {
  mini: {
    // Taro minifies the JS (terser) and the WXSS (csso) of a production build; the WXML and WXS are
    // minified below. WeChat's code scan checks all of them are compressed.
    webpackChain(chain) {
      chain.plugin('wxmlMinifier').use(WxmlMinifier)
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
