namespace ClinicChat.Storage;

public static class ChatStorage
{
    /// <summary>The Orleans grain storage provider name every ClinicChat grain uses.</summary>
    public const string GrainStateProvider = "clinicchat";
}
