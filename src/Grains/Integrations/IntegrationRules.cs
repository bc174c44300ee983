namespace ClinicChat.Integrations;

/// <summary>What a registration must hold (the web tier has checked that the JWKS parses as public keys).</summary>
public static class IntegrationRules
{
    public static ChatError? Validate(NewIntegrationClient request)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > IntegrationLimits.MaxNameLength)
        {
            return ChatError.Invalid("name", $"Name the integration (1-{IntegrationLimits.MaxNameLength} characters), e.g. the EHR's name.");
        }

        if (request.Scopes.Count == 0 || !request.Scopes.All(SmartScopes.IsOffered))
        {
            return ChatError.Invalid("scopes", $"Grant one or more of: {string.Join(", ", SmartScopes.Offered)}.");
        }

        var hasJwks = !string.IsNullOrWhiteSpace(request.Jwks);
        var hasUrl = !string.IsNullOrWhiteSpace(request.JwksUrl);
        if (hasJwks == hasUrl)
        {
            return ChatError.Invalid("jwks", "Give the client's public keys either as a JWKS (jwks) or as the URL it serves them at (jwksUrl), not both.");
        }

        if (request.Jwks?.Length > IntegrationLimits.MaxJwksLength)
        {
            return ChatError.Invalid("jwks", $"A JWKS is at most {IntegrationLimits.MaxJwksLength / 1024} KB; send public keys only.");
        }

        if (request.JwksUrl?.Length > IntegrationLimits.MaxJwksUrlLength)
        {
            return ChatError.Invalid("jwksUrl", $"The JWKS URL is at most {IntegrationLimits.MaxJwksUrlLength} characters.");
        }

        return null;
    }
}
