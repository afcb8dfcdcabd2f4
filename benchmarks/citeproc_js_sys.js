// The citeproc-js "sys" object of the benchmark scripts: items by id and locales from a folder.
const fs = require("fs");
const path = require("path");

module.exports = function makeSys(items, localesDir) {
  const byId = Object.fromEntries(items.map((it) => [String(it.id), it]));
  return {
    retrieveLocale: (lang) => {
      const file = path.join(localesDir, `locales-${lang}.xml`);
      return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
    },
    retrieveItem: (id) => byId[id],
  };
};
