using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;

namespace ClinicChat.Web.Integration;

internal static class FhirIds
{
    /// <summary>
    /// A resource's id, or null when it cannot be read: an id of the wrong JSON type ("id": 7) throws when read; the
    /// deserializer has reported it, and nothing can refer to it.
    /// </summary>
    public static string? Readable(Resource resource)
    {
        try
        {
            return resource.Id;
        }
        catch (CodedValidationException)
        {
            return null;
        }
    }
}
