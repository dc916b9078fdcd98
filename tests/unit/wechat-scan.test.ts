import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { minifyWxml } from '../../config/prod'
import { notMinified, scan } from '../../scripts/wechat-scan'

/** A small mini-program as the production build writes it: a project.config.json over dist/. */
function fixture(edit: (files: Record<string, string | Buffer>) => void = () => {}): string {
  const files: Record<string, string | Buffer> = {
    'project.config.json': JSON.stringify({ miniprogramRoot: 'dist/', setting: { minified: true, minifyWXML: true, minifyWXSS: true } }),
    'dist/app.json': JSON.stringify({
      pages: ['pages/index/index'],
      subPackages: [{ root: 'packages/shop', pages: ['detail/index'] }],
      tabBar: { list: [{ pagePath: 'pages/index/index', iconPath: 'assets/home.png', selectedIconPath: 'assets/home-on.png' }] },
      lazyCodeLoading: 'requiredComponents',
    }),
    'dist/app.js': 'require("./common");App({});',
    'dist/app.wxss': '@import "./common.wxss";page{color:#222}',
    'dist/common.js': '/*! lib v1 | MIT */\nvar a=1;module.exports=a;',
    'dist/common.wxss': '.price{color:red}',
    'dist/assets/home.png': Buffer.alloc(1024),
    'dist/assets/home-on.png': Buffer.alloc(1024),
    'dist/base.wxml': '<wxs module="xs" src="./utils.wxs"/><template name="t"><card wx:for="{{list}}"/></template>',
    'dist/utils.wxs': 'module.exports={a:function(n){return n}};',
    'dist/pages/index/index.js': 'Page({});',
    'dist/pages/index/index.json': JSON.stringify({ usingComponents: { card: '../../components/card/index' } }),
    'dist/pages/index/index.wxml': '<import src="../../base.wxml"/><template is="t" data="{{list:list}}"/>',
    'dist/pages/index/index.wxss': '.home{padding:0}',
    'dist/components/card/index.js': 'Component({});',
    'dist/components/card/index.json': JSON.stringify({ component: true }),
    'dist/components/card/index.wxml': '<view class="card"><image src="/assets/badge.png"/></view>',
    'dist/assets/badge.png': Buffer.alloc(2048),
    'dist/packages/shop/detail/index.js': 'require("../sub-common/x.js");Page({});',
    'dist/packages/shop/sub-common/x.js': 'module.exports=1;',
    'dist/packages/shop/detail/index.json': '{}',
    'dist/packages/shop/detail/index.wxml': '<view>详情</view>',
    'dist/packages/shop/detail/index.wxss': '.detail{margin:0}',
  }
  edit(files)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wechat-scan-'))
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.writeFileSync(path.join(dir, rel), content)
  }
  return dir
}

/** The ids of the failing checks, each with its problems. */
function failures(dir: string): Record<string, string[]> {
  return Object.fromEntries(
    scan(dir)
      .filter((r) => r.problems.length > 0)
      .map((r) => [r.id, r.problems]),
  )
}

describe('WeChat code scan (scripts/wechat-scan.ts)', () => {
  it('passes a minified, fully referenced mini-program', () => {
    expect(failures(fixture())).toEqual({})
  })

  it('fails the three compression checks when project.config.json leaves them off (the scan of issue 13)', () => {
    const dir = fixture((f) => {
      f['project.config.json'] = JSON.stringify({ miniprogramRoot: 'dist/', setting: { minified: false } })
    })
    expect(Object.keys(failures(dir)).sort()).toEqual(['js-minified', 'wxml-minified', 'wxss-minified'])
  })

  it('fails on a script, a template and a style sheet that are not minified, naming each file', () => {
    const dir = fixture((f) => {
      f['dist/common.js'] = 'var a = 1\nfunction add(x) {\n  return x + a\n}\nmodule.exports = add\n'
      f['dist/base.wxml'] = '<wxs module="xs" src="./utils.wxs"/>\n<template name="t">\n  <card wx:for="{{list}}"/>\n</template>\n'
      f['dist/common.wxss'] = '/* prices */\n.price{color:red}'
    })
    expect(failures(dir)).toEqual({
      'js-minified': ['common.js is not minified (1 indented line(s))'],
      'wxml-minified': ['base.wxml is not minified (1 indented line(s))'],
      'wxss-minified': ['common.wxss is not minified (comments)'],
    })
  })

  it('fails on a component declared in usingComponents that its WXML (and what it imports) never uses', () => {
    const dir = fixture((f) => {
      f['dist/pages/index/index.json'] = JSON.stringify({
        usingComponents: { card: '../../components/card/index', badge: '../../components/card/index' },
      })
    })
    expect(failures(dir)).toEqual({
      'unused-components': ['pages/index/index.json: "badge" is declared but pages/index/index.wxml never uses <badge>'],
    })
  })

  it('fails on files nothing reaches: a stray script, an extracted licence file, an unused image', () => {
    const dir = fixture((f) => {
      f['dist/old.js'] = 'module.exports=0;'
      f['dist/vendors.js.LICENSE.txt'] = 'MIT'
      f['dist/assets/unused.png'] = Buffer.alloc(10)
    })
    expect(failures(dir)).toEqual({
      'unused-files': [
        'assets/unused.png is reached from nothing in app.json',
        'old.js is reached from nothing in app.json',
        'vendors.js.LICENSE.txt is reached from nothing in app.json',
      ],
    })
  })

  it('fails on an image over 200 KB and on a main package over 1.5 MB', () => {
    const dir = fixture((f) => {
      f['dist/assets/home.png'] = Buffer.alloc(200 * 1024 + 1)
      f['dist/common.js'] = `module.exports="${'x'.repeat(1.5 * 1024 * 1024)}";`
    })
    const fails = failures(dir)
    expect(Object.keys(fails).sort()).toEqual(['images', 'main-package-size'])
    expect(fails.images).toEqual(['assets/home.png is 200.0 KB'])
  })

  it('fails without lazy code loading, and on a main-package script only subpackages require', () => {
    const dir = fixture((f) => {
      const app = JSON.parse(f['dist/app.json'] as string) as Record<string, unknown>
      delete app.lazyCodeLoading
      f['dist/app.json'] = JSON.stringify(app)
      f['dist/packages/shop/detail/index.js'] = 'require("../../../shared.js");Page({});'
      f['dist/shared.js'] = 'module.exports=2;'
      delete f['dist/packages/shop/sub-common/x.js']
    })
    expect(failures(dir)).toEqual({
      'lazy-code-loading': ['app.json: lazyCodeLoading is not "requiredComponents"'],
      'main-js-for-subpackages': ['shared.js is in the main package but only packages/shop/detail/index.js require it'],
    })
  })

  it('fails on a plugin that no usingComponents uses', () => {
    const dir = fixture((f) => {
      const app = JSON.parse(f['dist/app.json'] as string) as Record<string, unknown>
      app.plugins = { 'live-player-plugin': { version: '1.0.0', provider: 'wx2b03c6e691cd7370' } }
      f['dist/app.json'] = JSON.stringify(app)
    })
    expect(failures(dir)).toEqual({ 'unused-plugins': ['app.json declares plugin "live-player-plugin" that no usingComponents uses'] })
  })

  it('measures minification instead of trusting it: licence banners may stay, indentation may not', () => {
    expect(notMinified('/*!\n * react v18\n * MIT\n */\nvar a=1;', 'js')).toBeUndefined()
    expect(notMinified('/**\n * @license React\n */\nvar a=1;', 'js')).toBeUndefined()
    expect(notMinified('if (a) {\n  b()\n}', 'js')).toBe('1 indented line(s)')
    expect(notMinified('<view/><!-- note --><text/>', 'wxml')).toBe('comments')
    expect(notMinified(`${'a=1;\n'.repeat(600)}`, 'js')).toBe('one line per statement')
  })

  it("the build's WXML minifier passes the scan and keeps what WXML needs (an HTML minifier drops </input>)", () => {
    const taro = [
      '<template name="tmpl_0_33">',
      '  <input value="{{i.p25}}"',
      '    bindinput="eh"></input>',
      '  <!-- a comment -->',
      '  <text space="{{i.p4}}">{{i.v}}</text>',
      '</template>',
      '',
    ].join('\n')
    const out = minifyWxml(taro)
    expect(out).toBe(
      '<template name="tmpl_0_33"><input value="{{i.p25}}" bindinput="eh"></input><text space="{{i.p4}}">{{i.v}}</text></template>',
    )
    expect(notMinified(taro, 'wxml')).toBe('4 indented line(s)')
    expect(notMinified(out, 'wxml')).toBeUndefined()
  })
})
