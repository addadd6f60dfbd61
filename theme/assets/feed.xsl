<?xml version="1.0" encoding="utf-8"?>
<!-- Shows feed.xml as a readable page when opened in a browser (feed readers ignore it). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:a="http://www.w3.org/2005/Atom" exclude-result-prefixes="a">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/a:feed">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="a:title"/> · 订阅更新</title>
        <style>
          body { margin: 0; font: 16px/1.7 "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; background: #fff; }
          header { background: #9f1d20; color: #fff; padding: 1rem; }
          header a { color: #fff; }
          main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
          h1 { font-size: 1.4rem; margin: 0; }
          .about { background: #faf7f3; border: 1px solid #e6e1dc; border-radius: 4px; padding: 0.8rem 1rem; }
          code { word-break: break-all; }
          ul { list-style: none; padding: 0; }
          li { padding: 0.8rem 0; border-bottom: 1px solid #e6e1dc; }
          li a { font-weight: 700; color: #9f1d20; display: inline-block; min-height: 24px; }
          .meta { color: #5f6368; font-size: 0.85rem; }
          p { margin: 0.2rem 0; }
        </style>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="a:title"/> · 订阅更新</h1>
          <p><a href="{a:link[@rel='alternate']/@href}">返回网站首页</a></p>
        </header>
        <main>
          <div class="about">
            <p>这是本档案的 Atom 订阅源。把下面的地址添加到 RSS 阅读器（如 Feedly、Inoreader、NetNewsWire），新文章发布时就会收到通知。</p>
            <p><code><xsl:value-of select="a:link[@rel='self']/@href"/></code></p>
          </div>
          <h2>最新文章</h2>
          <ul>
            <xsl:for-each select="a:entry">
              <li>
                <a href="{a:link/@href}"><xsl:value-of select="a:title"/></a>
                <p class="meta"><xsl:value-of select="substring(a:published, 1, 10)"/>
                  <xsl:for-each select="a:category"> · <xsl:value-of select="@term"/></xsl:for-each>
                </p>
                <p><xsl:value-of select="a:summary"/></p>
              </li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
