var L=globalThis,z=L.ShadowRoot&&(L.ShadyCSS===void 0||L.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,F=Symbol(),he=new WeakMap,P=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==F)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(z&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=he.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&he.set(t,e))}return e}toString(){return this.cssText}},pe=i=>new P(typeof i=="string"?i:i+"",void 0,F),y=(i,...e)=>{let t=i.length===1?i[0]:e.reduce((s,r,n)=>s+(o=>{if(o._$cssResult$===!0)return o.cssText;if(typeof o=="number")return o;throw Error("Value passed to 'css' function must be a 'css' function result: "+o+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(r)+i[n+1],i[0]);return new P(t,i,F)},ue=(i,e)=>{if(z)i.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),r=L.litNonce;r!==void 0&&s.setAttribute("nonce",r),s.textContent=t.cssText,i.appendChild(s)}},W=z?i=>i:i=>i instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return pe(t)})(i):i;var{is:Oe,defineProperty:Le,getOwnPropertyDescriptor:ze,getOwnPropertyNames:De,getOwnPropertySymbols:Ie,getPrototypeOf:Ge}=Object,D=globalThis,ge=D.trustedTypes,qe=ge?ge.emptyScript:"",Be=D.reactiveElementPolyfillSupport,M=(i,e)=>i,V={toAttribute(i,e){switch(e){case Boolean:i=i?qe:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,e){let t=i;switch(e){case Boolean:t=i!==null;break;case Number:t=i===null?null:Number(i);break;case Object:case Array:try{t=JSON.parse(i)}catch{t=null}}return t}},_e=(i,e)=>!Oe(i,e),me={attribute:!0,type:String,converter:V,reflect:!1,useDefault:!1,hasChanged:_e};Symbol.metadata??=Symbol("metadata"),D.litPropertyMetadata??=new WeakMap;var v=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=me){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),r=this.getPropertyDescriptor(e,s,t);r!==void 0&&Le(this.prototype,e,r)}}static getPropertyDescriptor(e,t,s){let{get:r,set:n}=ze(this.prototype,e)??{get(){return this[t]},set(o){this[t]=o}};return{get:r,set(o){let h=r?.call(this);n?.call(this,o),this.requestUpdate(e,h,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??me}static _$Ei(){if(this.hasOwnProperty(M("elementProperties")))return;let e=Ge(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(M("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(M("properties"))){let t=this.properties,s=[...De(t),...Ie(t)];for(let r of s)this.createProperty(r,t[r])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,r]of t)this.elementProperties.set(s,r)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let r=this._$Eu(t,s);r!==void 0&&this._$Eh.set(r,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let r of s)t.unshift(W(r))}else e!==void 0&&t.push(W(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ue(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),r=this.constructor._$Eu(e,s);if(r!==void 0&&s.reflect===!0){let n=(s.converter?.toAttribute!==void 0?s.converter:V).toAttribute(t,s.type);this._$Em=e,n==null?this.removeAttribute(r):this.setAttribute(r,n),this._$Em=null}}_$AK(e,t){let s=this.constructor,r=s._$Eh.get(e);if(r!==void 0&&this._$Em!==r){let n=s.getPropertyOptions(r),o=typeof n.converter=="function"?{fromAttribute:n.converter}:n.converter?.fromAttribute!==void 0?n.converter:V;this._$Em=r;let h=o.fromAttribute(t,n.type);this[r]=h??this._$Ej?.get(r)??h,this._$Em=null}}requestUpdate(e,t,s,r=!1,n){if(e!==void 0){let o=this.constructor;if(r===!1&&(n=this[e]),s??=o.getPropertyOptions(e),!((s.hasChanged??_e)(n,t)||s.useDefault&&s.reflect&&n===this._$Ej?.get(e)&&!this.hasAttribute(o._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:r,wrapped:n},o){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,o??t??this[e]),n!==!0||o!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),r===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[r,n]of this._$Ep)this[r]=n;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[r,n]of s){let{wrapped:o}=n,h=this[r];o!==!0||this._$AL.has(r)||h===void 0||this.C(r,void 0,n,h)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};v.elementStyles=[],v.shadowRootOptions={mode:"open"},v[M("elementProperties")]=new Map,v[M("finalized")]=new Map,Be?.({ReactiveElement:v}),(D.reactiveElementVersions??=[]).push("2.1.2");var te=globalThis,fe=i=>i,I=te.trustedTypes,ye=I?I.createPolicy("lit-html",{createHTML:i=>i}):void 0,Se="$lit$",b=`lit$${Math.random().toFixed(9).slice(2)}$`,Ae="?"+b,Ke=`<${Ae}>`,x=document,H=()=>x.createComment(""),R=i=>i===null||typeof i!="object"&&typeof i!="function",se=Array.isArray,je=i=>se(i)||typeof i?.[Symbol.iterator]=="function",Z=`[ 	
\f\r]`,T=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,ve=/-->/g,be=/>/g,$=RegExp(`>|${Z}(?:([^\\s"'>=/]+)(${Z}*=${Z}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),$e=/'/g,we=/"/g,Ce=/^(?:script|style|textarea|title)$/i,re=i=>(e,...t)=>({_$litType$:i,strings:e,values:t}),l=re(1),ot=re(2),at=re(3),S=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),xe=new WeakMap,w=x.createTreeWalker(x,129);function Ee(i,e){if(!se(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return ye!==void 0?ye.createHTML(e):e}var Fe=(i,e)=>{let t=i.length-1,s=[],r,n=e===2?"<svg>":e===3?"<math>":"",o=T;for(let h=0;h<t;h++){let a=i[h],p,u,c=-1,m=0;for(;m<a.length&&(o.lastIndex=m,u=o.exec(a),u!==null);)m=o.lastIndex,o===T?u[1]==="!--"?o=ve:u[1]!==void 0?o=be:u[2]!==void 0?(Ce.test(u[2])&&(r=RegExp("</"+u[2],"g")),o=$):u[3]!==void 0&&(o=$):o===$?u[0]===">"?(o=r??T,c=-1):u[1]===void 0?c=-2:(c=o.lastIndex-u[2].length,p=u[1],o=u[3]===void 0?$:u[3]==='"'?we:$e):o===we||o===$e?o=$:o===ve||o===be?o=T:(o=$,r=void 0);let f=o===$&&i[h+1].startsWith("/>")?" ":"";n+=o===T?a+Ke:c>=0?(s.push(p),a.slice(0,c)+Se+a.slice(c)+b+f):a+b+(c===-2?h:f)}return[Ee(i,n+(i[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},N=class i{constructor({strings:e,_$litType$:t},s){let r;this.parts=[];let n=0,o=0,h=e.length-1,a=this.parts,[p,u]=Fe(e,t);if(this.el=i.createElement(p,s),w.currentNode=this.el.content,t===2||t===3){let c=this.el.content.firstChild;c.replaceWith(...c.childNodes)}for(;(r=w.nextNode())!==null&&a.length<h;){if(r.nodeType===1){if(r.hasAttributes())for(let c of r.getAttributeNames())if(c.endsWith(Se)){let m=u[o++],f=r.getAttribute(c).split(b),A=/([.?@])?(.*)/.exec(m);a.push({type:1,index:n,name:A[2],strings:f,ctor:A[1]==="."?Y:A[1]==="?"?Q:A[1]==="@"?X:E}),r.removeAttribute(c)}else c.startsWith(b)&&(a.push({type:6,index:n}),r.removeAttribute(c));if(Ce.test(r.tagName)){let c=r.textContent.split(b),m=c.length-1;if(m>0){r.textContent=I?I.emptyScript:"";for(let f=0;f<m;f++)r.append(c[f],H()),w.nextNode(),a.push({type:2,index:++n});r.append(c[m],H())}}}else if(r.nodeType===8)if(r.data===Ae)a.push({type:2,index:n});else{let c=-1;for(;(c=r.data.indexOf(b,c+1))!==-1;)a.push({type:7,index:n}),c+=b.length-1}n++}}static createElement(e,t){let s=x.createElement("template");return s.innerHTML=e,s}};function C(i,e,t=i,s){if(e===S)return e;let r=s!==void 0?t._$Co?.[s]:t._$Cl,n=R(e)?void 0:e._$litDirective$;return r?.constructor!==n&&(r?._$AO?.(!1),n===void 0?r=void 0:(r=new n(i),r._$AT(i,t,s)),s!==void 0?(t._$Co??=[])[s]=r:t._$Cl=r),r!==void 0&&(e=C(i,r._$AS(i,e.values),r,s)),e}var J=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,r=(e?.creationScope??x).importNode(t,!0);w.currentNode=r;let n=w.nextNode(),o=0,h=0,a=s[0];for(;a!==void 0;){if(o===a.index){let p;a.type===2?p=new U(n,n.nextSibling,this,e):a.type===1?p=new a.ctor(n,a.name,a.strings,this,e):a.type===6&&(p=new ee(n,this,e)),this._$AV.push(p),a=s[++h]}o!==a?.index&&(n=w.nextNode(),o++)}return w.currentNode=x,r}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},U=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,r){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=C(this,e,t),R(e)?e===d||e==null||e===""?(this._$AH!==d&&this._$AR(),this._$AH=d):e!==this._$AH&&e!==S&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):je(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==d&&R(this._$AH)?this._$AA.nextSibling.data=e:this.T(x.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,r=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=N.createElement(Ee(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===r)this._$AH.p(t);else{let n=new J(r,this),o=n.u(this.options);n.p(t),this.T(o),this._$AH=n}}_$AC(e){let t=xe.get(e.strings);return t===void 0&&xe.set(e.strings,t=new N(e)),t}k(e){se(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,r=0;for(let n of e)r===t.length?t.push(s=new i(this.O(H()),this.O(H()),this,this.options)):s=t[r],s._$AI(n),r++;r<t.length&&(this._$AR(s&&s._$AB.nextSibling,r),t.length=r)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=fe(e).nextSibling;fe(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},E=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,r,n){this.type=1,this._$AH=d,this._$AN=void 0,this.element=e,this.name=t,this._$AM=r,this.options=n,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=d}_$AI(e,t=this,s,r){let n=this.strings,o=!1;if(n===void 0)e=C(this,e,t,0),o=!R(e)||e!==this._$AH&&e!==S,o&&(this._$AH=e);else{let h=e,a,p;for(e=n[0],a=0;a<n.length-1;a++)p=C(this,h[s+a],t,a),p===S&&(p=this._$AH[a]),o||=!R(p)||p!==this._$AH[a],p===d?e=d:e!==d&&(e+=(p??"")+n[a+1]),this._$AH[a]=p}o&&!r&&this.j(e)}j(e){e===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},Y=class extends E{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===d?void 0:e}},Q=class extends E{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==d)}},X=class extends E{constructor(e,t,s,r,n){super(e,t,s,r,n),this.type=5}_$AI(e,t=this){if((e=C(this,e,t,0)??d)===S)return;let s=this._$AH,r=e===d&&s!==d||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,n=e!==d&&(s===d||r);r&&this.element.removeEventListener(this.name,this,s),n&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},ee=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){C(this,e)}};var We=te.litHtmlPolyfillSupport;We?.(N,U),(te.litHtmlVersions??=[]).push("3.3.3");var ke=(i,e,t)=>{let s=t?.renderBefore??e,r=s._$litPart$;if(r===void 0){let n=t?.renderBefore??null;s._$litPart$=r=new U(e.insertBefore(H(),n),n,void 0,t??{})}return r._$AI(i),r};var ie=globalThis,g=class extends v{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=ke(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};g._$litElement$=!0,g.finalized=!0,ie.litElementHydrateSupport?.({LitElement:g});var Ve=ie.litElementPolyfillSupport;Ve?.({LitElement:g});(ie.litElementVersions??=[]).push("4.2.2");var Me={sim_card_name:"Dinstar SIM status",sim_card_description:"Every SIM port of a Dinstar gateway at a glance.",conversations_card_name:"Dinstar conversations",conversations_card_description:"SMS conversations of Dinstar gateways, with reply.",gateway:"Gateway",all_gateways:"All gateways",no_gateway:"No Dinstar gateway is set up.",choose_gateway:"Choose the gateway in the card's settings.",port:"Port {port}",signal_bars:"Signal {bars} of 4 bars",no_number:"No number",last_sms:"Last SMS",none:"none",queue:"Send queue: {count}",push_works:"Push works",push_off:"No push: checked every 10 s",pin_needed:"SIM needs its PIN",open_device:"Open the device of port {port}",title:"SMS",conversations:"Conversations",no_conversations:"No messages yet.",unread:"{count} unread",new_message:"New message",back:"Back to the conversations",to:"To",number_placeholder:"+4917012345678",message:"Message",send:"Send",send_from:"Send from",any_port:"Any port",older:"Show older messages",status_sending:"Sending",status_sent:"Sent",status_delivered:"Delivered",status_failed:"Failed",status_expired:"No report",received:"Received",via_port:"port {port}"},Ze={sim_card_name:"Dinstar-SIM-Status",sim_card_description:"Alle SIM-Ports eines Dinstar-Gateways auf einen Blick.",conversations_card_name:"Dinstar-Unterhaltungen",conversations_card_description:"SMS-Unterhaltungen der Dinstar-Gateways, mit Antworten.",gateway:"Gateway",all_gateways:"Alle Gateways",no_gateway:"Es ist kein Dinstar-Gateway eingerichtet.",choose_gateway:"Wähle das Gateway in den Einstellungen der Karte.",port:"Port {port}",signal_bars:"Signal {bars} von 4 Balken",no_number:"Keine Nummer",last_sms:"Letzte SMS",none:"keine",queue:"Sendewarteschlange: {count}",push_works:"Push aktiv",push_off:"Kein Push: Abfrage alle 10 s",pin_needed:"SIM wartet auf ihre PIN",open_device:"Gerät von Port {port} öffnen",title:"SMS",conversations:"Unterhaltungen",no_conversations:"Noch keine Nachrichten.",unread:"{count} ungelesen",new_message:"Neue Nachricht",back:"Zurück zu den Unterhaltungen",to:"An",message:"Nachricht",send:"Senden",send_from:"Senden über",any_port:"Beliebiger Port",older:"Ältere Nachrichten zeigen",status_sending:"Wird gesendet",status_sent:"Gesendet",status_delivered:"Zugestellt",status_failed:"Fehlgeschlagen",status_expired:"Kein Bericht",received:"Empfangen",via_port:"Port {port}"},Pe={en:Me,de:Ze},_=(i,e,t={})=>{let s=(i??"en").split("-")[0];return(Pe[i??"en"]?.[e]??Pe[s]?.[e]??Me[e]).replace(/\{(\w+)\}/g,(n,o)=>String(t[o]??`{${o}}`))};var G=i=>i.trim().replace(/^\+/,""),k=async(i,e)=>(await i.callWS({type:"dinstar/gateways",...e?{entry_id:e}:{}})).gateways,Te=(i,e,t)=>i.callWS({type:"dinstar/history/conversations",limit:t,...e?{entry_id:e}:{}}),ne=(i,e,t,s)=>i.callWS({type:"dinstar/history/messages",entry_id:e,number:t,limit:50,...s?{before:s}:{}}),oe=(i,e,t)=>i.callWS({type:"dinstar/history/mark_read",entry_id:e,number:t}),He=(i,e,t)=>i.connection.subscribeMessage(e,{type:"dinstar/history/subscribe",...t?{entry_id:t}:{}}),Re=(i,e,t,s,r)=>i.callService("dinstar","send_sms",{config_entry_id:e,recipients:[t],message:s,...r===null?{}:{ports:[r]}}),Ne=(i,e)=>{history.pushState(null,"",`/config/devices/device/${e}`),i.dispatchEvent(new CustomEvent("location-changed",{bubbles:!0,composed:!0}))};var Je={sending:"🕓",sent:"✓",delivered:"✓✓",failed:"!",expired:"?"},Ye=100,q=class extends g{static{this.properties={hass:{attribute:!1},entryId:{attribute:"entry-id"},narrow:{type:Boolean},_list:{state:!0},_thread:{state:!0},_composing:{state:!0},_gateways:{state:!0},_error:{state:!0},_sending:{state:!0},_port:{state:!0}}}constructor(){super(),this.narrow=!1,this._composing=!1,this._gateways=[],this._sending=!1,this._port=""}connectedCallback(){super.connectedCallback(),this.hass&&this._start()}disconnectedCallback(){super.disconnectedCallback(),this._unsubscribe?.then(e=>e()),this._unsubscribe=void 0}willUpdate(){this.hass&&!this._unsubscribe&&this.isConnected&&this._start()}_start(){this._unsubscribe=He(this.hass,e=>this._changed(e),this.entryId),this._reload(),k(this.hass,this.entryId).then(e=>this._gateways=e)}_t(e,t){return _(this.hass?.language,e,t)}async _reload(){this._list=(await Te(this.hass,this.entryId,Ye)).conversations}_changed(e){this._reload();let t=this._thread;if(e.type==="read"||!t||t.entryId!==e.entry_id||G(e.message.number)!==G(t.number))return;let s=t.messages.filter(r=>r.id!==e.message.id);this._thread={...t,messages:[e.message,...s].sort((r,n)=>n.id-r.id)},e.message.direction==="in"&&oe(this.hass,t.entryId,t.number)}async open(e,t){this._composing=!1,this._error=void 0;let s=await ne(this.hass,e,t);this._thread={entryId:e,number:t,messages:s.messages,hasMore:s.has_more};let r=s.messages.find(n=>n.port!==null);this._port=r?.port?String(r.port):"",await oe(this.hass,e,t),await this.updateComplete,this.renderRoot.querySelector("textarea")?.focus()}async _older(){let e=this._thread;if(!e)return;let t=e.messages[e.messages.length-1],s=await ne(this.hass,e.entryId,e.number,t?.id);this._thread={...e,messages:[...e.messages,...s.messages],hasMore:s.has_more}}_compose(){this._thread=void 0,this._composing=!0,this._error=void 0,this._port=""}_back(){this._thread=void 0,this._composing=!1,this._error=void 0}async _send(e){e.preventDefault();let t=e.target,s=new FormData(t),r=String(s.get("message")??""),n=this._thread?.entryId??String(s.get("gateway")??""),o=this._thread?.number??String(s.get("number")??"").trim(),h=s.get("port")?Number(s.get("port")):null;this._sending=!0,this._error=void 0;try{await Re(this.hass,n,o,r,h),t.querySelector("textarea").value="",this._thread||await this.open(n,o)}catch(a){this._error=a.message??String(a)}finally{this._sending=!1}}_time(e){let t=new Date(e),s=new Date().toDateString()===t.toDateString();return t.toLocaleString(this.hass.language,{...s?{}:{day:"numeric",month:"short"},hour:"2-digit",minute:"2-digit"})}render(){if(!this.hass)return d;let e=this._thread!==void 0||this._composing;return l`
      <div class="layout ${this.narrow?"narrow":""} ${e?"detail":""}">
        <section class="list" aria-label=${this._t("conversations")}>
          <div class="list-header">
            <h2>${this._t("conversations")}</h2>
            <button class="new" @click=${this._compose}>${this._t("new_message")}</button>
          </div>
          ${this._renderList()}
        </section>
        <section class="thread" aria-live="polite">
          ${this._thread?this._renderThread(this._thread):this._composing?this._renderCompose():d}
        </section>
      </div>
    `}_renderList(){if(this._list===void 0)return l``;if(this._list.length===0)return l`<p class="empty">${this._t("no_conversations")}</p>`;let e=new Set(this._list.map(t=>t.entry_id)).size>1;return l`<ul class="conversations" role="list">
      ${this._list.map(t=>{let s=this._thread?.entryId===t.entry_id&&G(this._thread.number)===t.key;return l`<li>
          <button
            class="conversation ${s?"selected":""}"
            data-number=${t.number}
            aria-current=${s?"true":"false"}
            @click=${()=>this.open(t.entry_id,t.number)}
          >
            <span class="who">
              <span class="number">${t.number}</span>
              ${e?l`<span class="gateway">${t.gateway}</span>`:d}
            </span>
            <span class="preview">${t.last.text}</span>
            <span class="when">${this._time(t.last.time)}</span>
            ${t.unread?l`<span
                  class="badge"
                  aria-label=${this._t("unread",{count:t.unread})}
                  >${t.unread}</span
                >`:d}
          </button>
        </li>`})}
    </ul>`}_renderThread(e){let t=this._gateways.find(s=>s.entry_id===e.entryId);return l`
      <div class="thread-header">
        <button class="back" @click=${this._back} aria-label=${this._t("back")}>←</button>
        <h2>${e.number}</h2>
      </div>
      <ol class="messages" aria-label=${e.number}>
        ${[...e.messages].reverse().map(s=>this._renderMessage(s))}
      </ol>
      ${e.hasMore?l`<button class="older" @click=${this._older}>${this._t("older")}</button>`:d}
      ${this._renderForm(t,!1)}
    `}_renderMessage(e){let t=e.status,s=t?this._t(`status_${t}`):this._t("received"),r=e.port?` · ${this._t("via_port",{port:e.port})}`:"";return l`<li
      class="message ${e.direction} ${t??""}"
      data-id=${e.id}
      data-status=${t??"received"}
    >
      <div class="text">${e.text}</div>
      <div class="info">
        <span>${this._time(e.time)}${r}</span>
        ${t?l`<span class="mark" role="img" aria-label=${s} title=${s}
              >${Je[t]}</span
            >`:l`<span class="visually-hidden">${s}</span>`}
      </div>
    </li>`}_renderCompose(){return l`
      <div class="thread-header">
        <button class="back" @click=${this._back} aria-label=${this._t("back")}>←</button>
        <h2>${this._t("new_message")}</h2>
      </div>
      ${this._renderForm(void 0,!0)}
    `}_renderForm(e,t){let s=t?this._gateways:e?[e]:[],r=(t?this._gateways[0]:e)?.ports??[];return l`<form class="compose" @submit=${this._send}>
      ${t?l`
            ${s.length>1?l`<label
                  >${this._t("gateway")}
                  <select name="gateway">
                    ${s.map(n=>l`<option value=${n.entry_id}>${n.title}</option>`)}
                  </select></label
                >`:l`<input type="hidden" name="gateway" value=${s[0]?.entry_id??""} />`}
            <label
              >${this._t("to")}
              <input
                name="number"
                type="tel"
                required
                autocomplete="tel"
                placeholder=${this._t("number_placeholder")}
            /></label>
          `:d}
      <label class="port"
        >${this._t("send_from")}
        <select
          name="port"
          .value=${this._port}
          @change=${n=>this._port=n.target.value}
        >
          <option value="" ?selected=${this._port===""}>${this._t("any_port")}</option>
          ${r.map(n=>l`<option value=${n.port} ?selected=${String(n.port)===this._port}>
                ${this._t("port",{port:n.port})}
              </option>`)}
        </select></label
      >
      <div class="send-row">
        <textarea
          name="message"
          required
          rows="2"
          aria-label=${this._t("message")}
          placeholder=${this._t("message")}
          @keydown=${n=>{n.key==="Enter"&&(n.ctrlKey||n.metaKey)&&n.target.form?.requestSubmit()}}
        ></textarea>
        <button type="submit" class="send" ?disabled=${this._sending}>
          ${this._t("send")}
        </button>
      </div>
      ${this._error?l`<p class="error" role="alert">${this._error}</p>`:d}
    </form>`}static{this.styles=y`
    :host {
      display: block;
      height: 100%;
      color: var(--primary-text-color);
    }
    button,
    input,
    select,
    textarea {
      font: inherit;
      color: inherit;
    }
    button:focus-visible,
    input:focus-visible,
    select:focus-visible,
    textarea:focus-visible {
      outline: 2px solid var(--primary-color);
      outline-offset: 1px;
    }
    h2 {
      margin: 0;
      font-size: 18px;
      font-weight: 500;
    }
    .layout {
      display: grid;
      grid-template-columns: minmax(220px, 340px) 1fr;
      height: 100%;
      min-height: 320px;
    }
    .layout.narrow {
      grid-template-columns: 1fr;
    }
    .layout.narrow.detail .list,
    .layout.narrow:not(.detail) .thread {
      display: none;
    }
    .list {
      border-inline-end: 1px solid var(--divider-color);
      overflow-y: auto;
    }
    .layout.narrow .list {
      border: none;
    }
    .list-header,
    .thread-header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 12px 16px;
      border-bottom: 1px solid var(--divider-color);
    }
    .thread-header {
      justify-content: flex-start;
    }
    .back {
      display: none;
      border: none;
      background: none;
      font-size: 20px;
      cursor: pointer;
      padding: 4px 8px;
    }
    .layout.narrow .back {
      display: inline-block;
    }
    .new,
    .send,
    .older {
      border: none;
      border-radius: 18px;
      padding: 8px 16px;
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
      cursor: pointer;
    }
    .older {
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
      margin: 8px auto;
      display: block;
    }
    .send[disabled] {
      opacity: 0.6;
    }
    .empty {
      padding: 16px;
      color: var(--secondary-text-color);
    }
    .conversations {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .conversation {
      width: 100%;
      display: grid;
      grid-template-columns: 1fr auto;
      grid-template-areas: "who when" "preview badge";
      gap: 2px 8px;
      text-align: start;
      padding: 10px 16px;
      border: none;
      border-bottom: 1px solid var(--divider-color);
      background: none;
      cursor: pointer;
    }
    .conversation:hover,
    .conversation.selected {
      background: var(--secondary-background-color);
    }
    .who {
      grid-area: who;
      font-weight: 500;
      display: flex;
      gap: 6px;
      min-width: 0;
    }
    .gateway {
      font-weight: 400;
      color: var(--secondary-text-color);
      font-size: 12px;
      align-self: center;
    }
    .preview {
      grid-area: preview;
      color: var(--secondary-text-color);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .when {
      grid-area: when;
      font-size: 12px;
      color: var(--secondary-text-color);
    }
    .badge {
      grid-area: badge;
      justify-self: end;
      min-width: 20px;
      height: 20px;
      border-radius: 10px;
      padding: 0 6px;
      box-sizing: border-box;
      background: var(--accent-color, var(--primary-color));
      color: var(--text-accent-color, var(--text-primary-color, #fff));
      font-size: 12px;
      line-height: 20px;
      text-align: center;
    }
    .thread {
      display: flex;
      flex-direction: column;
      min-width: 0;
      overflow: hidden;
    }
    .messages {
      list-style: none;
      margin: 0;
      padding: 12px 16px;
      display: flex;
      flex-direction: column;
      gap: 8px;
      overflow-y: auto;
      flex: 1;
    }
    .message {
      max-width: 80%;
      padding: 8px 12px;
      border-radius: 16px;
      overflow-wrap: anywhere;
    }
    .message .text {
      white-space: pre-wrap;
    }
    .message.in {
      align-self: flex-start;
      background: var(--secondary-background-color);
      border-end-start-radius: 4px;
    }
    .message.out {
      align-self: flex-end;
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
      border-end-end-radius: 4px;
    }
    .message.out.failed {
      background: var(--error-color, #db4437);
    }
    .info {
      display: flex;
      justify-content: flex-end;
      gap: 6px;
      font-size: 11px;
      opacity: 0.8;
      margin-top: 2px;
    }
    .compose {
      border-top: 1px solid var(--divider-color);
      padding: 8px 16px 12px;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .compose label {
      display: flex;
      flex-direction: column;
      font-size: 12px;
      color: var(--secondary-text-color);
      gap: 2px;
    }
    .compose input,
    .compose select,
    .compose textarea {
      padding: 8px;
      border: 1px solid var(--divider-color);
      border-radius: 8px;
      background: var(--card-background-color, var(--primary-background-color));
    }
    .send-row {
      display: flex;
      gap: 8px;
      align-items: flex-end;
    }
    .send-row textarea {
      flex: 1;
      resize: vertical;
    }
    .error {
      color: var(--error-color, #db4437);
      margin: 0;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  `}};var Qe={register_ok:"ok",searching_network:"warn",unregister:"warn",pin_require:"alert",puk_require:"alert"},Xe=new Set(["pin_require","puk_require"]),et=i=>i>=-73?4:i>=-83?3:i>=-93?2:i>=-103?1:0,tt=6e4,B=class extends g{constructor(){super(...arguments);this._loadedFor=null}static{this.properties={hass:{attribute:!1},_config:{state:!0},_gateway:{state:!0},_missing:{state:!0}}}static getConfigElement(){return document.createElement("dinstar-sim-card-editor")}static async getStubConfig(t){let[s]=await k(t);return{type:"custom:dinstar-sim-card",entry_id:s?.entry_id}}setConfig(t){this._config=t,this._loadedFor=null}getCardSize(){return 1+Math.ceil((this._gateway?.ports.length??4)/2)*2}getGridOptions(){return{columns:12,min_columns:6}}connectedCallback(){super.connectedCallback(),this._timer=window.setInterval(()=>{this._load()},tt)}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this._timer)}willUpdate(){this.hass&&this._config&&this._loadedFor!==this._config.entry_id&&(this._loadedFor=this._config.entry_id,this._load())}async _load(){if(this.hass)try{let t=await k(this.hass);this._gateway=t.find(s=>s.entry_id===this._config.entry_id)??(this._config.entry_id?void 0:t[0]),this._missing=this._gateway===void 0}catch{this._gateway=void 0,this._missing=!0}}_t(t,s){return _(this.hass?.language,t,s)}get _format(){let t=this.hass;return s=>t.formatEntityState?t.formatEntityState(s):s.state}_state(t){return t?this.hass.states[t]:void 0}render(){if(!this.hass||!this._config)return d;let t=this._gateway;if(!t)return l`<ha-card
        ><div class="empty">
          ${this._missing?this._t("choose_gateway"):d}
        </div></ha-card
      >`;let s=this._state(t.sms_queue);return l`
      <ha-card>
        <div class="header">
          <h2 class="title">${t.title}</h2>
          <div class="meta">
            ${s?l`<span class="chip">${this._t("queue",{count:s.state})}</span>`:d}
            <span class="chip ${t.push_works?"ok":"warn"}"
              >${this._t(t.push_works?"push_works":"push_off")}</span
            >
          </div>
        </div>
        <ul class="ports" role="list">
          ${t.ports.map(r=>this._renderPort(r))}
        </ul>
      </ha-card>
    `}_renderPort(t){let s=this._state(t.entities.registration),r=this._state(t.entities.signal_strength),n=this._state(t.entities.network_type),o=this._state(t.entities.phone_number),h=this._state(t.entities.last_sms),a=s?.state??"unknown",p=Qe[a]??"off",u=Xe.has(a),c=r?Number(r.state):NaN,m=Number.isFinite(c)?et(c):0,f=this._t("port",{port:t.port}),A=o&&!["unknown","unavailable",""].includes(o.state),le=h&&!["unknown","unavailable"].includes(h.state);return l`
      <li class="port-item">
        <button
          class="port ${p} ${u?"needs-code":""}"
          data-port=${t.port}
          data-registration=${a}
          aria-label=${this._t("open_device",{port:t.port})}
          ?disabled=${!t.device_id}
          @click=${()=>t.device_id&&Ne(this,t.device_id)}
        >
          <div class="row">
            <span class="name">${f}</span>
            <span class="bars" role="img" aria-label=${this._t("signal_bars",{bars:m})}>
              ${[1,2,3,4].map(ce=>l`<i class=${ce<=m?"on":""} style="height:${ce*25}%"></i>`)}
            </span>
          </div>
          <div class="row">
            <span class="registration ${p}"
              >${s?this._format(s):"—"}</span
            >
            <span class="dbm">${Number.isFinite(c)?`${c} dBm`:"—"}</span>
          </div>
          ${u?l`<div class="pin-alert">${this._t("pin_needed")}</div>`:d}
          <div class="row small">
            <span>${n&&n.state!=="unknown"?this._format(n):"—"}</span>
            <span class="number">${A?o.state:this._t("no_number")}</span>
          </div>
          <div class="last-sms small" title=${le?h.state:""}>
            ${this._t("last_sms")}: ${le?h.state:this._t("none")}
          </div>
        </button>
      </li>
    `}static{this.styles=y`
    :host {
      display: block;
    }
    .empty {
      padding: 16px;
      color: var(--secondary-text-color);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 12px 16px 0;
    }
    .title {
      margin: 0;
      font-size: var(--ha-card-header-font-size, 20px);
      font-weight: 400;
      color: var(--ha-card-header-color, var(--primary-text-color));
    }
    .meta {
      display: flex;
      gap: 6px;
      flex-wrap: wrap;
    }
    .chip {
      font-size: 12px;
      padding: 2px 8px;
      border-radius: 12px;
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
    }
    .chip.ok {
      color: var(--success-color, #43a047);
    }
    .chip.warn {
      color: var(--warning-color, #ffa600);
    }
    .ports {
      list-style: none;
      margin: 0;
      padding: 12px;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
      gap: 8px;
    }
    .port-item {
      display: flex;
    }
    .port {
      flex: 1;
      min-width: 0;
      text-align: start;
      font: inherit;
      color: var(--primary-text-color);
      background: var(--card-background-color, var(--ha-card-background));
      border: 1px solid var(--divider-color);
      border-inline-start: 4px solid var(--disabled-text-color);
      border-radius: 8px;
      padding: 8px;
      cursor: pointer;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .port:focus-visible {
      outline: 2px solid var(--primary-color);
      outline-offset: 2px;
    }
    .port:hover {
      background: var(--secondary-background-color);
    }
    .port.ok {
      border-inline-start-color: var(--success-color, #43a047);
    }
    .port.warn {
      border-inline-start-color: var(--warning-color, #ffa600);
    }
    .port.alert {
      border-inline-start-color: var(--error-color, #db4437);
    }
    .port.needs-code {
      border-color: var(--error-color, #db4437);
      box-shadow: 0 0 0 1px var(--error-color, #db4437);
    }
    .row {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 4px;
    }
    .name {
      font-weight: 500;
    }
    .registration.ok {
      color: var(--success-color, #43a047);
    }
    .registration.warn {
      color: var(--warning-color, #ffa600);
    }
    .registration.alert {
      color: var(--error-color, #db4437);
      font-weight: 500;
    }
    .registration.off {
      color: var(--secondary-text-color);
    }
    .pin-alert {
      font-size: 12px;
      font-weight: 500;
      color: var(--text-primary-color, #fff);
      background: var(--error-color, #db4437);
      border-radius: 4px;
      padding: 2px 6px;
    }
    .small,
    .dbm {
      font-size: 12px;
      color: var(--secondary-text-color);
    }
    .number {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .last-sms {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .bars {
      display: inline-flex;
      align-items: flex-end;
      gap: 2px;
      height: 14px;
    }
    .bars i {
      width: 4px;
      background: var(--disabled-text-color);
      border-radius: 1px;
    }
    .bars i.on {
      background: var(--primary-text-color);
    }
  `}},K=class extends g{static{this.properties={hass:{attribute:!1},_config:{state:!0},_gateways:{state:!0}}}setConfig(e){this._config=e}willUpdate(){this.hass&&this._gateways===void 0&&(this._gateways=[],k(this.hass).then(e=>this._gateways=e))}render(){if(!this.hass||!this._config)return d;let e=t=>_(this.hass.language,t);return this._gateways?.length===0?l`<p>${e("no_gateway")}</p>`:l`
      <label for="gateway">${e("gateway")}</label>
      <select id="gateway" @change=${this._changed}>
        ${this._gateways?.map(t=>l`<option
              value=${t.entry_id}
              ?selected=${t.entry_id===this._config.entry_id}
            >
              ${t.title}
            </option>`)}
      </select>
    `}_changed(e){let t=e.target.value;this._config={...this._config,entry_id:t},this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:this._config},bubbles:!0,composed:!0}))}static{this.styles=y`
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    select {
      font: inherit;
      padding: 8px;
      color: var(--primary-text-color);
      background: var(--card-background-color);
      border: 1px solid var(--divider-color);
      border-radius: 4px;
    }
  `}};var ae=class extends g{constructor(){super(...arguments);this._observer=new ResizeObserver(([t])=>{this._narrow=(t?.contentRect.width??0)<600})}static{this.properties={hass:{attribute:!1},_config:{state:!0},_narrow:{state:!0}}}static getStubConfig(){return{type:"custom:dinstar-conversations-card"}}setConfig(t){this._config=t}getCardSize(){return 8}connectedCallback(){super.connectedCallback(),this._observer.observe(this)}disconnectedCallback(){super.disconnectedCallback(),this._observer.disconnect()}render(){return!this.hass||!this._config?d:l`<ha-card>
      <dinstar-messages
        .hass=${this.hass}
        .entryId=${this._config.entry_id}
        .narrow=${this._narrow??!0}
      ></dinstar-messages>
    </ha-card>`}static{this.styles=y`
    ha-card {
      overflow: hidden;
      height: 480px;
    }
  `}},de=class extends g{static{this.properties={hass:{attribute:!1},narrow:{type:Boolean}}}render(){return this.hass?l`
      <div class="toolbar">
        <ha-menu-button .hass=${this.hass} .narrow=${this.narrow}></ha-menu-button>
        <h1>${_(this.hass.language,"title")}</h1>
      </div>
      <main>
        <dinstar-messages .hass=${this.hass} .narrow=${this.narrow}></dinstar-messages>
      </main>
    `:d}static{this.styles=y`
    :host {
      display: flex;
      flex-direction: column;
      height: 100vh;
      height: 100dvh;
      background: var(--primary-background-color);
      color: var(--primary-text-color);
    }
    .toolbar {
      display: flex;
      align-items: center;
      gap: 8px;
      height: var(--header-height, 56px);
      padding: 0 12px;
      box-sizing: border-box;
      background: var(--app-header-background-color, var(--primary-color));
      color: var(--app-header-text-color, var(--text-primary-color, #fff));
      border-bottom: var(--app-header-border-bottom, none);
    }
    h1 {
      margin: 0;
      font-size: 20px;
      font-weight: 400;
    }
    main {
      flex: 1;
      min-height: 0;
      background: var(--card-background-color);
    }
  `}},O=(i,e)=>{customElements.get(i)||customElements.define(i,e)};O("dinstar-messages",q);O("dinstar-sim-card",B);O("dinstar-sim-card-editor",K);O("dinstar-conversations-card",ae);O("dinstar-sms-panel",de);var j=document.documentElement.lang||navigator.language,Ue=window.customCards??=[];for(let i of[{type:"dinstar-sim-card",name:_(j,"sim_card_name"),description:_(j,"sim_card_description"),preview:!0},{type:"dinstar-conversations-card",name:_(j,"conversations_card_name"),description:_(j,"conversations_card_description")}])Ue.some(e=>e.type===i.type)||Ue.push({...i,documentationURL:"https://github.com/dinstar-ha/dinstar#dashboard"});
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
