// imrsearch serve: optional enhancements (served as /static/app.js); every page works without.
// "/" puts the cursor in the search box, unless one is typing in a field already.
document.addEventListener('keydown', function (e) {
  var t = e.target && e.target.tagName;
  if (e.key === '/' && t !== 'INPUT' && t !== 'TEXTAREA' && t !== 'SELECT') {
    var q = document.getElementById('q');
    if (q) { e.preventDefault(); q.focus(); q.select(); }
  }
});
