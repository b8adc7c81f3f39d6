"""`kontrakt site`: the portfolio as a static, accessible multi-page web site.

One job per module: `paths` (where a page lives, and links between pages),
`pages` (which pages exist and what each shows), `data` (the open data: the
files as JSON and CSV, and what each field means), `calendar` (the .ics files),
`build` (every page rendered to bytes in memory) and `publish` (the output
folder written safely: only what changed, nothing that is not kontrakt's).
"""
