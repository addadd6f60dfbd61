/* Loaded at the end of every page, before Material's bundle.

   Material's inline page helpers (its partials/javascripts/base.html), kept in
   this shared file instead of 330 bytes in each page. The scope is the site's
   root: this file's folder's parent. */
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
/* The home page's street chooser: "前往" opens the chosen street's page.
   Without JavaScript the form still leads to the list of all streets. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-street-chooser]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var select = form.querySelector("select");
      if (!select || !select.value) return;
      event.preventDefault();
      window.location.href = new URL(select.value, document.baseURI).href;
    });
  });
})();
