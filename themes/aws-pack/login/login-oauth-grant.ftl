<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#--
  The consent page: who asks (name, logo), what for in plain words with changes set apart,
  what a policy withholds and why, the client's documents, Accept and Decline.

  Keycloak's contract with this page is kept as keycloak.v2 has it: POST to url.oauthAction with
  the code; the button named "accept" grants, "cancel" declines (the client gets
  error=access_denied). Keycloak lists only scopes the user has not consented to yet.

  Grouping rule: Keycloak 26 gives the page each scope's consent text, not its attributes, so a
  scope is declared as a change ("write") by giving it a consent text under the message key
  namespace consent.write. (e.g. ${consent.write.api}). Everything else is listed as access.
-->
<#assign clientName = client.name?has_content?then(advancedMsg(client.name), client.clientId)>

<#function scopeText scope>
    <#if scope.parameterizedScopeParameter??>
        <#return advancedMsg(scope.consentScreenText, scope.parameterizedScopeParameter)>
    </#if>
    <#return advancedMsg(scope.consentScreenText)>
</#function>

<#assign accessScopes = []>
<#assign writeScopes = []>
<#list (oauth.clientScopesRequested)![] as scope>
    <#if scope.consentScreenText?starts_with(r"${consent.write.")>
        <#assign writeScopes += [scope]>
    <#else>
        <#assign accessScopes += [scope]>
    </#if>
</#list>

<#--
  Scopes a restricted-scope policy withholds from this user. Optional: nothing is shown unless
  the request's LoginFormsProvider carries the attribute "withheldScopes", a list whose entries
  have consentScreenText and, optionally, reason (plain text or ${messageKey}). When the attribute
  "withheldScopesRefused" is true (a device login, whose token cannot be narrowed), the section also
  says that the device will get no token.
-->
<#assign withheldScopes = (withheldScopes)![]>
<#assign withheldScopesRefused = (withheldScopesRefused)!false>

<#-- Decorative icons; the text next to each says the same. -->
<#macro icon name>
    <svg class="aws-consent__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        <#if name = "check">
            <path d="M3 8.5l3.2 3.2L13 4.8" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
        <#elseif name = "pencil">
            <path d="M10.8 2.2l3 3L6 13H3v-3z M9.3 3.7l3 3" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>
        <#else>
            <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.6"/>
            <path d="M3.8 12.2l8.4-8.4" stroke="currentColor" stroke-width="1.6"/>
        </#if>
    </svg>
</#macro>

<#macro documentLink href label>
    <a class="aws-consent__link" href="${href}" target="_blank" rel="noopener noreferrer">${msg(label)}<span class="aws-consent__sr-only"> ${msg("consent.newWindow")}</span></a>
</#macro>

<@layout.registrationLayout bodyClass="oauth"; section>
    <#if section = "header">
        <#-- Inside keycloak.v2's <h1>. The client's name is in the title, so the logo is
             decorative (alt=""); without a logo, its initial stands in. -->
        <span class="aws-consent__title">
            <#if client.attributes.logoUri?has_content>
                <img id="consent-client-logo" class="aws-consent__logo" src="${client.attributes.logoUri}" alt="" width="48" height="48">
            <#else>
                <span class="aws-consent__logo aws-consent__logo--initial" aria-hidden="true">${clientName[0]?upper_case}</span>
            </#if>
            <span id="consent-title">${msg("consent.title", clientName)}</span>
        </span>
    <#elseif section = "form">
        <div id="kc-oauth" class="aws-consent">
            <#if accessScopes?has_content>
                <section class="aws-consent__group" aria-labelledby="consent-access-heading">
                    <h2 id="consent-access-heading" class="aws-consent__heading">${msg("consent.access.heading", clientName)}</h2>
                    <ul id="consent-access" class="aws-consent__list">
                        <#list accessScopes as scope>
                            <li class="aws-consent__item"><@icon "check"/><span>${scopeText(scope)}</span></li>
                        </#list>
                    </ul>
                </section>
            </#if>

            <#if writeScopes?has_content>
                <section class="aws-consent__group aws-consent__group--write" aria-labelledby="consent-write-heading">
                    <h2 id="consent-write-heading" class="aws-consent__heading">
                        ${msg(accessScopes?has_content?then("consent.write.heading", "consent.write.headingOnly"), clientName)}
                    </h2>
                    <p class="aws-consent__note">${msg("consent.write.note")}</p>
                    <ul id="consent-write" class="aws-consent__list">
                        <#list writeScopes as scope>
                            <li class="aws-consent__item"><@icon "pencil"/><span>${scopeText(scope)}</span></li>
                        </#list>
                    </ul>
                </section>
            </#if>

            <#if withheldScopes?has_content>
                <section class="aws-consent__group aws-consent__group--withheld" aria-labelledby="consent-withheld-heading">
                    <h2 id="consent-withheld-heading" class="aws-consent__heading">${msg("consent.withheld.heading")}</h2>
                    <#if withheldScopesRefused>
                        <p id="consent-withheld-refused" class="aws-consent__reason">${msg("consent.withheld.refused")}</p>
                    </#if>
                    <ul id="consent-withheld" class="aws-consent__list">
                        <#list withheldScopes as scope>
                            <li class="aws-consent__item">
                                <@icon "blocked"/>
                                <span>
                                    <span class="aws-consent__withheld-text">${advancedMsg(scope.consentScreenText)}</span>
                                    <span class="aws-consent__status">${msg("consent.withheld.status")}</span>
                                    <span class="aws-consent__reason">${scope.reason?has_content?then(advancedMsg(scope.reason!""), msg("consent.withheld.defaultReason"))}</span>
                                </span>
                            </li>
                        </#list>
                    </ul>
                </section>
            </#if>

            <#if client.attributes.tosUri?has_content || client.attributes.policyUri?has_content>
                <p id="consent-documents" class="aws-consent__documents">
                    ${msg("consent.documents", clientName)}
                    <#if client.attributes.tosUri?has_content><@documentLink client.attributes.tosUri "consent.tos"/></#if>
                    <#if client.attributes.policyUri?has_content><@documentLink client.attributes.policyUri "consent.policy"/></#if>
                </p>
            </#if>

            <form class="${properties.kcFormClass} aws-consent__form" action="${url.oauthAction}" method="POST">
                <input type="hidden" name="code" value="${oauth.code}">
                <@buttons.actionGroup horizontal=true>
                    <@buttons.button id="kc-login" name="accept" label="doAccept"/>
                    <@buttons.button id="kc-cancel" name="cancel" label="doDecline" type="secondary"/>
                </@buttons.actionGroup>
            </form>
            <p class="aws-consent__footnote">${msg("consent.remember", clientName)}</p>
        </div>
    </#if>
</@layout.registrationLayout>
