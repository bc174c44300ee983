using System.Text.Json;
using ClinicChat.Records;

namespace ClinicChat.Tests.Rules;

/// <summary>A message's cards are stored as JSON (messages.cards_json) by <c>MessageStore</c>, with its default options.</summary>
public sealed class StoredCardsTests
{
    [Fact]
    public void CardsStoredBeforeTheRenameToRecordsStillNameTheirRecord()
    {
        var recordId = Guid.NewGuid();
        var storedBeforeRename = """[{"ArtifactId":"RECORD","Version":3,"Snapshot":{"Kind":2,"Appointment":null,"Invoice":null,"Prescription":{"Medication":"Amoxicillin","Instructions":null,"Prescriber":null,"Date":null,"Refills":1,"Status":"active"}}}]"""
            .Replace("RECORD", recordId.ToString());

        var card = Assert.Single(JsonSerializer.Deserialize<List<CardRef>>(storedBeforeRename)!);

        Assert.Equal((recordId, 3, RecordKind.Prescription, "Amoxicillin"), (card.RecordId, card.Version, card.Snapshot.Kind, card.Snapshot.Prescription?.Medication));
    }

    [Fact]
    public void CardsStoredNowReadBackTheSame()
    {
        var card = new CardRef(Guid.NewGuid(), 1, new RecordSnapshot(RecordKind.Invoice, Invoice: new InvoiceDetails("INV-7", null, 120.5m, "EUR", 0m, "balanced")));

        var stored = JsonSerializer.Serialize(new List<CardRef> { card });

        Assert.Equal(card, Assert.Single(JsonSerializer.Deserialize<List<CardRef>>(stored)!));
    }
}
