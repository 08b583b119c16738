"""Function words per language: the signal for language identification and the noise for keywords.

Kept as plain word lists (folded: lowercase, no accents) so the detector needs no model download.
"""

from __future__ import annotations

from newsroom_enrich.enrichers.text import fold

_RAW: dict[str, str] = {
    "en": """
        a about above after again against all also am an and any are as at be because been before
        being below between both but by can could did do does doing down during each few for from
        further had has have having he her here hers herself him himself his how i if in into is it
        its itself just me more most my myself no nor not now of off on once only or other our ours
        out over own same she should so some such than that the their theirs them themselves then
        there these they this those through to too under until up very was we were what when where
        which while who whom why will with would you your yours yourself however meanwhile although
        though yet still already whether since despite amid among within without upon onto across
        many several much another every either neither instead thus therefore moreover furthermore
        nevertheless unlike may might must shall us let its it's he's she's they're we're i'm
        don't doesn't didn't won't can't isn't aren't wasn't weren't hasn't haven't hadn't
    """,
    "fr": """
        au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais
        me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta
        te tes toi ton tu un une vos votre vous c d j l à m n s t y été était étaient étant être
        avoir ai avait avaient avons ont est sont sera seront fait cette cet celui celle ceux comme
        donc dont alors aussi après avant depuis entre sans sous vers chez contre lors selon tout
        tous toute toutes plus moins très bien encore déjà ainsi puis si non elles quand pendant
        car ni leur lorsque auprès parmi dès afin cependant toutefois aujourd'hui hier
    """,
    "de": """
        der die das den dem des ein eine einer eines einem einen und oder aber doch nicht kein
        keine keinen ist sind war waren wird werden wurde wurden hat haben hatte hatten sein seine
        seiner seinen seinem ihr ihre ihrem ihren ihrer ich du er sie es wir mit von vom zu zum
        zur im in am an auf aus bei beim nach vor über unter für gegen ohne um durch bis seit als wie
        auch noch schon nur sehr so dass daß wenn weil ob denn sich dieser diese dieses diesem
        diesen man mehr kann können muss müssen soll sollen will wollen nun hier dort da dann
        damit dabei laut sowie zwischen während jedoch bereits etwa rund ins ans aufs wegen trotz
        einige viele alle allem allen jetzt heute gestern immer wieder
    """,
    "es": """
        el la los las un una unos unas y o pero de del al a en con por para sin sobre entre hasta
        desde que quien quienes cual cuales cuando donde como es son era eran fue fueron ser estar
        está están estaba estaban ha han había habían se su sus le les lo me mi mis nos nuestro
        nuestra no sí muy más menos ya también tras según durante ante bajo este esta estos estas
        ese esa esos esas aquel eso esto todo todos toda todas otro otra otros otras mismo misma
        porque aunque sino pues hay sido tiene tienen hoy ayer e u ni cuyo cuya
    """,
    "it": """
        il lo la i gli le un uno una e ed o ma di del dello della dei degli delle a al allo alla
        ai agli alle da dal dallo dalla dai dagli dalle in nel nello nella nei negli nelle con su
        sul sullo sulla sui sugli sulle per tra fra che chi cui non è sono era erano fu essere
        stato stata ha hanno aveva avere si suo sua suoi sue loro questo questa questi queste
        quello quella anche come più meno già ancora molto dopo prima durante secondo senza verso
        contro mentre perché quando dove oggi ieri ne ci gli
    """,
    "pt": """
        o a os as um uma uns umas e ou mas de do da dos das em no na nos nas com por pelo pela
        pelos pelas para sem sobre entre até desde que quem qual quais quando onde como é são era
        eram foi foram ser estar está estão estava tem têm tinha há se seu sua seus suas lhe lhes
        me meu minha não sim muito mais menos já também após segundo durante ante este esta
        estes estas esse essa esses essas aquele isso isto todo todos toda todas outro outra mesmo
        porque embora ao aos à às num numa pela hoje ontem
    """,
    "nl": """
        de het een en of maar van in op aan met voor door bij naar uit over onder tegen zonder om
        tot sinds als dan dat die dit deze wie wat waar wanneer hoe is zijn was waren wordt worden
        werd werden heeft hebben had hadden ik jij je hij zij ze wij we u mijn haar hun ons onze
        niet geen wel ook nog al zeer meer minder er hier daar nu toen omdat want dus zo zich te
        volgens tijdens echter vandaag gisteren reeds
    """,
    "ru": """
        и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
        мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был
        него до вас нибудь уж вам ведь там потом себя ничего ей может они тут где есть надо ней
        для мы тебя их чем была сам чтобы без будто чего раз тоже себе под будет тогда кто этот
        того потому этого какой совсем ним здесь этом один почти мой тем нее сейчас были куда
        можно при два об другой хоть после над больше тот через эти нас про всего них какая много
        три эту моя свою этой перед им более всегда между также который которые которая года
    """,
    "pl": """
        i w we z ze na do nie się że to jest są był była było byli były być będzie będą od po przez
        dla o a ale lub albo czy jak jako już jeszcze tylko także też oraz który która które
        którego której których którym którzy jego jej ich go mu im ten ta te tego tej tym tych tę
        co gdy gdzie kiedy aby żeby bo więc jednak przy przed pod nad za bez między według podczas
        około u mnie nas was nam on ona ono oni one my wy ja sobie siebie swój swoja swoje swoich
        swoim może można mogą musi muszą ma mają miał miała mieli został została zostało zostały
        zostali bardzo więcej mniej tak nawet wczoraj dziś dzisiaj powiedział powiedziała
        poinformował zdaniem wobec wśród tę tu tam
    """,
    "cs": """
        a i v ve z ze s se na do od po o u k ke za pro při před pod nad mezi bez podle během kvůli
        je jsou byl byla bylo byli byly být bude budou by že ale nebo jak jako který která které
        kterého kterou kteří jeho její jejich jim mu ho to ten ta ty tento tato toto tyto tom tím
        co kdy kde když aby protože však jen také už již ještě tak velmi více méně než není nejsou
        má mají měl měla může mohou lze musí řekl řekla uvedl uvedla dnes včera sám své svých jsme
        jste jsem se si
    """,
    "sk": """
        a i v vo z zo s so na do od po o u k ku za pre pri pred pod nad medzi bez podľa počas je sú
        bol bola bolo boli byť bude budú by že ale alebo ako ktorý ktorá ktoré ktorého ktorú ktorí
        jeho jej ich im mu ho to ten tá tie tento táto toto tieto tom tým čo kedy kde keď aby
        pretože však len tiež už ešte tak veľmi viac menej než nie má majú mal mala môže možno musí
        povedal povedala uviedol dnes včera sa si sme ste som
    """,
    "sv": """
        och i att det som en på är av för med till den har de inte om ett han men var jag sig från
        vi så kan man när säger hon under också efter eller nu sin där vid mot ska skulle kommer
        ut får finns vara vad alla andra mycket än här då sedan över bara blir blev hade dem honom
        hennes deras vår våra dig mig hans detta denna dessa någon något några inom utan enligt
        mellan samt sade sa idag igår måste kunde vill ville även redan hur vilket vilka
    """,
    "da": """
        og i at det som en på er af for med til den har de ikke om et han men var jeg sig fra vi så
        kan man når siger hun under også efter eller nu sin der ved mod skal skulle kommer ud får
        findes være hvad alle andre meget end her da siden over kun bliver blev havde dem ham hendes
        deres vores dig mig hans dette denne disse nogen noget nogle uden ifølge mellem samt sagde
        hvor hvis må kunne vil ville også allerede hvordan hvilket
    """,
    "no": """
        og i at det som en på er av for med til den har de ikke om et han men var jeg seg fra vi så
        kan man når sier hun under også etter eller nå sin der ved mot skal skulle kommer ut får
        finnes være hva alle andre mye enn her da siden over bare blir ble hadde dem ham hennes
        deres vår våre deg meg hans dette denne disse noen noe uten ifølge mellom samt sa sier hvor
        hvis må kunne vil ville allerede hvordan hvilket
    """,
    "tr": """
        ve bir bu da de ile için olarak çok daha en gibi ama ki mi mı mu mü ne o şu var yok kadar
        sonra önce göre ise veya hem ya değil olan olduğu olduğunu ancak her bütün tüm bazı diğer
        ayrıca yani onun bunu bunun buna ona onlar biz siz ben sen kendi ilk dedi söyledi belirtti
        açıkladı ifade etti olacak oldu olduğunu şekilde üzere karşı arasında tarafından
    """,
}

# Words that are no keywords but do not vote for a language either: added after the detector was
# tuned, many of them are shared between the first languages (Dutch "per", "alle"; German "uns";
# Spanish "será"; Italian "lui", "però"), and votes split among more owners would turn clear
# headlines into "und" or the wrong language ("Piano per il clima approvato").
_KEYWORD_ONLY_RAW: dict[str, str] = {
    "en": """
        whose towards toward unless beyond behind along near cannot
    """,
    "fr": """
        peut peuvent pourrait pourraient doit doivent devrait devraient vont aura auront aurait
        auraient serait seraient soit fut ont avait déclaré ici là cela ceci chaque autre autres
        mêmes quelque quelques lequel laquelle lesquels notamment toujours jamais rien aucun aucune
    """,
    "de": """
        könnte könnten würde würden wäre wären sollte sollten dürfen darf durfte mag möchte möchten
        musste mussten konnte konnten wollte wollten habe hätte hätten bin bist seid worden gewesen uns
        euch ihm ihn ihnen mich mir dich dir jener jene welche welcher welches wer wo warum wann sagt
        sondern ab zwar neben sei seien deren dessen denen jedem jeder jedes kaum sowohl
    """,
    "es": """
        puede pueden podría podrían debe deben debería será serán sería serían vamos hubo tenía él ella
        ellos ellas yo tú usted nosotros cada qué cómo mientras tanto muy
    """,
    "it": """
        può possono potrebbe potrebbero deve devono dovrebbe sarà saranno sarebbe vuole vogliono ho hai
        abbiamo avete lui lei noi voi io detto cosa ogni tutto tutti tutta tutte altro altri altra altre
        quale quali sempre così però quindi solo nostro nostra proprio propria stati siamo
    """,
    "pt": """
        pode podem poderia deve devem deveria vai vão será serão seria seriam tinham ela eles elas
        nós você disse cada qual ainda sempre apenas mesma nosso nossa já ter sido
    """,
    "nl": """
        zal zullen zou zouden kan kunnen kon konden moet moeten moest moesten wil willen wilde wilden
        mag mogen mocht zei zegt zeggen aldus men hem hen jullie uw zelf welke welk waarom toch alleen
        steeds veel weer per via binnen tussen zoals terwijl hoewel daarom geweest gaat gaan ging komt
        doen doet deed gedaan alle elk elke iets niets iemand niemand waarin waarmee daarmee daarbij
    """,
    "ru": """
        это эта эти этих этим будут может могут должен должна должны является являются сказал заявил
        сообщил отметил которого которой которых котором своих своей своим ее её лишь
    """,
    "el": """
        ο η το οι τα του της των τον την τη στο στη στην στον στα στους στις στων και ή να θα με σε
        από για ως που πως ότι δεν μη μην είναι ήταν έχει έχουν είχε είχαν ένα ένας μια μία ενός μιας
        αυτό αυτή αυτός αυτά αυτές αυτοί αυτών αυτού αυτής τους τις τι ποιος ποια ποιο όπως αλλά
        όμως ενώ όταν αν κατά μετά πριν μέχρι προς χωρίς μεταξύ επί υπό έως πολύ πιο ακόμη ακόμα
        επίσης ήδη μόνο δηλαδή σήμερα χθες είπε δήλωσε ανέφερε μπορεί πρέπει θέλει έγινε όλα όλοι
        κάθε άλλα άλλοι οποίο οποία οποίος οποίοι οποίες οποίων μας σας τους του μου σου
    """,
    "uk": """
        і й в у на з із зі що не до та як за від це цей ця ці цього цих його її їх їм але або ж же
        про після для під над при між через який яка яке які якого якої яких було був була були
        буде будуть є бути також вже ще лише тільки той те ті ми ви вони він вона воно я ти себе
        свій своє своїх своєї може можуть можна треба має мають сказав сказала заявив заявила
        повідомив зазначив тому коли де щоб навіть дуже більше
    """,
}

LANGUAGE_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(fold(word) for word in words.split()) for language, words in _RAW.items()
}
"""Folded function words that identify a language (`language._word_weights`), keyed by BCP 47 tag."""

STOPWORDS: dict[str, frozenset[str]] = {
    language: LANGUAGE_WORDS.get(language, frozenset()) | frozenset(fold(word) for word in extra.split())
    for language, extra in {**dict.fromkeys(_RAW, ""), **_KEYWORD_ONLY_RAW}.items()
}
"""Folded function words keyed by BCP 47 primary language subtag: `LANGUAGE_WORDS` and the words that
are no keywords without naming a language."""

FIRST_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru")
"""The languages read from the start; those added later (Polish, Czech, Slovak, Swedish, Danish,
Norwegian, Turkish) must not weaken the evidence for these (see `language._word_weights`)."""

ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())
