// Starts ReDoc on /schema/redoc (skillpass's own file: the page has no inline script, see skillpass/apidocs.py).
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  Redoc.init(container.dataset.specUrl, {}, container);
})();
