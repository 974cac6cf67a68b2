"""Articles written for the corpus tests: three distinct stories on one topic, and copies
of them as news sites carry copies (another headline, a cut paragraph, edited words)."""

FLOOD = """River Dane bursts its banks after record rain

The River Dane burst its banks on Tuesday after two days of record rain, flooding more than 300 homes in the town of Holmbrook.
Mayor Clara Whitfield said the town's defences had held for most of the night but gave way shortly before dawn.
"We did everything we could, and we will rebuild every street," Whitfield told reporters outside the town hall.
The Environment Agency said its pumps had been working at full capacity since Monday.
Residents accused the council of ignoring warnings about the state of the embankment, something the council denies.
"There was no warning that we ignored," a council spokesman said.
Forecasters expect more rain on Thursday, and the agency urged people living near the river to move valuables upstairs.
"""

REPAIRS = """Holmbrook counts the cost of the flood

Insurers estimated on Wednesday that the flood in Holmbrook would cost at least 40 million pounds, as families returned to ruined homes.
Engineer Tom Baxter said the embankment had been weakened by years of burrowing animals and should have been rebuilt in 2019.
"The repairs were postponed three times," Baxter said. "Each time the money went elsewhere."
The council said it had spent more on flood defences than any neighbouring authority.
Shopkeeper Amira Hassan said she had lost her entire stock. "Twenty years of work is gone," she said.
Ministers promised emergency funding for the town and said an inquiry would examine the decisions taken before the flood.
"""

VOLUNTEERS = """Volunteers fill sandbags as Holmbrook braces for more rain

Hundreds of volunteers filled sandbags at the football ground on Wednesday evening as Holmbrook prepared for another night of rain.
Organiser Priya Nair said more than 20,000 bags had been filled since the afternoon.
"People just turned up with shovels," Nair said. "Nobody asked them to."
Police warned drivers to stay away from the flooded roads around the market square.
The Met Office said the heaviest showers would fall overnight, with a risk of further flooding on Thursday.
A local vicar, Reverend John Okafor, opened his church as a shelter and said it would stay open for as long as it was needed.
"""


def retitled(text: str) -> str:
    """The same story under another headline and with a byline, as another site runs it."""
    body = text.split("\n", 1)[1]
    return "Town under water as river overflows\nBy Staff Reporter\n" + body


def cut_last_paragraph(text: str) -> str:
    """The story with its last paragraph trimmed."""
    lines = text.strip().split("\n")
    return "\n".join(lines[:-1]) + "\n"


def edited(text: str) -> str:
    """The story with a few words changed by a copy editor."""
    return (text.replace("record rain", "torrential rain").replace("more than 300", "over 300")
            .replace("shortly before dawn", "just before dawn"))
