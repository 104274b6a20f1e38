"""Takes one `Note`, the `VaultMap` and what is stored about it (check results, video
info); gives its HTML page (`RenderedNote`). It writes nothing and starts no process.

`job` sets the renderer up for a site (`SiteJob`); `pages` renders one note through
`markup` (a markdown-it renderer made of one rule per job: `callouts`, `links`,
`embeds`, `code`, `timestamps`, sharing `state`); `slugs` turns note paths into URLs.
The templates and static assets are here, beside the pages that use them.
"""
