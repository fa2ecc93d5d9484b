"""The demo blog: useful, Mexico-first nutrition articles in Spanish (and two in English for
the translated pages). Bodies are StreamField raw data for ``content.blocks.BODY_BLOCKS``."""

from __future__ import annotations


def p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": "".join(f"<p>{x}</p>" for x in paragraphs)}]


def h(text: str) -> list[dict]:
    return [{"type": "heading", "value": text}]


def ul(*items: str) -> list[dict]:
    return [{"type": "paragraph", "value": "<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>"}]


def quote(text: str, who: str = "") -> list[dict]:
    return [{"type": "quote", "value": {"quote": text, "attribution": who}}]


def cta(title: str, text: str, label: str, url: str) -> list[dict]:
    return [{"type": "cta", "value": {"title": title, "text": text,
                                      "button": {"label": label, "url": url, "style": "primary"}}}]


CONSULT_CTA = cta("¿Quieres un plan hecho para ti?",
                  "Nuestras nutriólogas con cédula profesional te acompañan en línea o en consultorio.",
                  "Conoce a nuestras nutriólogas", "/consulta/nutriologos/")

POSTS = [
    {
        "slug": "como-leer-sellos-de-advertencia-nom-051",
        "title": "Cómo leer los sellos de advertencia NOM-051",
        "seo_title": "Sellos de advertencia NOM-051: cómo leerlos",
        "search_description": "Qué significa cada octágono negro de la NOM-051, qué leyendas precautorias "
                              "importan y cómo comparar dos productos en el súper en 30 segundos.",
        "category": "nutrition",
        "tags": ["etiquetado", "NOM-051", "compras"],
        "days_ago": 3,
        "palette": ((20, 83, 45), (34, 139, 84)),
        "foods": [(30, 30, 30), (250, 250, 250), (30, 30, 30), (250, 250, 250), (30, 30, 30)],
        "alt": "Ilustración de un plato con octágonos negros y blancos, como los sellos del etiquetado.",
        "excerpt": "Los octágonos negros no son para asustarte: son un atajo. Te explicamos qué significa cada "
                   "sello, las leyendas precautorias y cómo comparar dos productos en el pasillo del súper.",
        "body": [
            *p("Desde 2020 los empaques en México llevan el etiquetado frontal de advertencia de la "
               "<strong>NOM-051-SCFI/SSA1-2010</strong>. Los octágonos negros avisan cuando un producto rebasa los "
               "límites de azúcares, grasas saturadas, grasas trans, sodio o calorías que la norma considera "
               "excesivos para su tamaño. No dicen que un alimento esté prohibido: te ayudan a decidir rápido."),
            *h("Qué significa cada sello"),
            *ul("<strong>Exceso calorías:</strong> mucha energía en poca cantidad; fácil comer de más.",
                "<strong>Exceso azúcares:</strong> azúcares añadidos por encima del límite (refrescos, cereales, "
                "yogures endulzados).",
                "<strong>Exceso grasas saturadas</strong> y <strong>exceso grasas trans:</strong> relacionadas con "
                "el colesterol LDL y la salud del corazón.",
                "<strong>Exceso sodio:</strong> frecuente en botanas, embutidos, sopas instantáneas y salsas "
                "embotelladas."),
            *h("Las leyendas precautorias"),
            *p("Además de los octágonos hay dos rectángulos: «Contiene cafeína, evitar en niños» y «Contiene "
               "edulcorantes, no recomendable en niños». Si en casa hay niñas o niños, estas leyendas pesan tanto "
               "como los sellos."),
            *h("Cómo comparar en 30 segundos"),
            *ul("Cuenta los sellos: entre dos opciones parecidas, elige la que tenga menos.",
                "Voltea el empaque y mira la porción: muchas bolsas «individuales» traen dos o tres porciones.",
                "Lee los primeros tres ingredientes; si el azúcar aparece con otros nombres (jarabe de maíz, "
                "dextrosa, maltodextrina), cuenta como azúcar.",
                "Un producto sin sellos no es automáticamente saludable: un pan blanco puede no tener sellos y "
                "aun así ser poco nutritivo."),
            *p("La regla más útil sigue siendo la más sencilla: entre más alimentos sin empaque haya en tu carrito "
               "(frutas, verduras, frijoles, tortillas de maíz, huevo), menos etiquetas tendrás que leer."),
            *quote("El etiquetado no sustituye el criterio, pero lo entrena: después de unas semanas ya sabes qué "
                   "productos no necesitas voltear.", "Lic. Sara Gallegos, nutrióloga"),
            *CONSULT_CTA,
        ],
    },
    {
        "slug": "tortilla-de-maiz-aliada-no-enemiga",
        "title": "Tortilla de maíz: aliada, no enemiga",
        "seo_title": "Tortilla de maíz: aliada, no enemiga",
        "search_description": "La tortilla de maíz nixtamalizado aporta fibra, calcio y energía. Cuántas comer, "
                              "cómo combinarlas y qué cambia frente a la de harina.",
        "category": "nutrition",
        "tags": ["tortilla", "maíz", "plato del bien comer"],
        "days_ago": 9,
        "palette": ((146, 64, 14), (217, 119, 6)),
        "foods": [(245, 222, 160), (234, 200, 120), (250, 232, 180), (226, 190, 110)],
        "alt": "Ilustración de un plato con tortillas de maíz doradas sobre un fondo naranja.",
        "excerpt": "Dejar la tortilla no es la llave para bajar de peso. La de maíz nixtamalizado tiene fibra y "
                   "calcio, y con la porción correcta cabe perfecto en tu plan.",
        "body": [
            *p("Cuando alguien empieza a «cuidarse», lo primero que suele sacrificar es la tortilla. Es una pena: la "
               "tortilla de maíz es uno de los alimentos más nutritivos y baratos de nuestra dieta, y quitarla sin "
               "más suele terminar en antojos y en pan dulce a media tarde."),
            *h("Lo que ganas con la nixtamalización"),
            *p("Cocer el maíz con cal (nixtamalizar) hace algo que nuestras abuelas sabían sin laboratorio: libera "
               "la niacina del grano, aumenta mucho el calcio y mejora la calidad de su proteína. Una tortilla de "
               "30 g aporta alrededor de 70 kcal, 15 g de hidratos de carbono y fibra que ayuda a la saciedad."),
            *h("¿Cuántas me puedo comer?"),
            *p("Depende de tu plan, tu actividad y tus metas, pero como punto de partida: dos tortillas en la "
               "comida, acompañadas de verduras y una proteína, funcionan para la mayoría de los adultos. En el "
               "Sistema Mexicano de Alimentos Equivalentes una tortilla es un equivalente de cereal, igual que media "
               "taza de arroz cocido."),
            *ul("Prefiere tortilla de maíz de tortillería o nixtamal, no la de harina de trigo, que lleva grasa.",
                "Combínala con frijoles: juntos forman una proteína más completa.",
                "Ojo con lo que va dentro: un taco de bistec asado no es lo mismo que uno de carnitas con "
                "chicharrón.",
                "Las tostadas horneadas y los totopos caseros al comal son mejores que los fritos."),
            *h("Tortilla e índice glucémico"),
            *p("Si vives con diabetes o resistencia a la insulina, la tortilla también cabe. Lo que sube la glucosa "
               "es la cantidad total de hidratos de carbono y cómo los acompañas: sirve primero la ensalada o los "
               "nopales, luego la proteína y al final la tortilla."),
            *quote("No existen alimentos buenos o malos, existen porciones y combinaciones.",
                   "Lic. Sara Gallegos, nutrióloga"),
        ],
    },
    {
        "slug": "agua-fresca-sin-azucar-5-recetas",
        "title": "Agua fresca sin azúcar: 5 recetas",
        "seo_title": "Agua fresca sin azúcar: 5 recetas fáciles",
        "search_description": "Jamaica, pepino con limón, piña con hierbabuena, tamarindo y horchata ligera: "
                              "cinco aguas frescas sin azúcar añadida para el calor.",
        "category": "recipes",
        "tags": ["recetas", "bebidas", "sin azúcar"],
        "days_ago": 14,
        "palette": ((157, 23, 77), (219, 39, 119)),
        "foods": [(190, 18, 60), (132, 204, 22), (250, 204, 21), (146, 64, 14)],
        "alt": "Ilustración de tres vasos de agua fresca de jamaica, pepino y piña.",
        "motif": "glass",
        "excerpt": "El refresco y los jugos son la primera fuente de azúcar añadida en México. Estas cinco aguas "
                   "frescas se preparan en minutos y no necesitan azúcar.",
        "body": [
            *p("Una lata de refresco tiene alrededor de 35 g de azúcar, más de lo que la OMS recomienda en todo el "
               "día para un adulto. Las aguas frescas son parte de nuestra cultura y pueden ser tu mejor aliada si "
               "dejas que la fruta haga el trabajo. Todas las recetas son para una jarra de 2 litros."),
            *h("1. Jamaica con canela"),
            *p("Hierve 1/2 taza de flor de jamaica con una raja de canela en 2 tazas de agua por 5 minutos, cuela y "
               "completa con agua fría. Su sabor ácido no pide azúcar; si la necesitas al principio, usa unas gotas "
               "de estevia y ve reduciendo."),
            *h("2. Pepino, limón y chía"),
            *p("Licúa 2 pepinos con cáscara, el jugo de 3 limones y 1 litro de agua. Cuela si quieres, completa con "
               "agua y agrega 2 cucharadas de chía remojada. Refresca y aporta fibra."),
            *h("3. Piña con hierbabuena"),
            *p("Licúa 2 tazas de piña madura con un manojo de hierbabuena y agua. La piña bien madura es tan dulce "
               "que no hace falta nada más."),
            *h("4. Tamarindo natural"),
            *p("Pela 10 vainas de tamarindo, remójalas en agua caliente 20 minutos, deshazlas con la mano y cuela. "
               "Un toque de chile en polvo en el borde del vaso engaña al paladar."),
            *h("5. Horchata ligera de avena"),
            *p("Remoja 1/2 taza de avena y una raja de canela toda la noche, licúa con 1 taza de leche descremada y "
               "agua, y endulza con 2 dátiles sin hueso. Es la más calórica de las cinco: sírvela en vaso chico."),
            *ul("Guarda las aguas en el refrigerador hasta 2 días.",
                "Si tienes diabetes, prefiere jamaica y pepino; las de fruta licuada cuentan como equivalente de fruta.",
                "Nada sustituye al agua simple: estas recetas son para variar, no para reemplazarla."),
        ],
    },
    {
        "slug": "diabetes-tipo-2-plato-del-bien-comer",
        "title": "Diabetes tipo 2: el plato del bien comer en la práctica",
        "seo_title": "Diabetes tipo 2 y el plato del bien comer",
        "search_description": "Cómo armar tus comidas con diabetes tipo 2 usando el plato del bien comer: "
                              "proporciones, horarios, antojitos y qué revisar con tu nutrióloga.",
        "category": "hormones",
        "tags": ["diabetes", "glucosa", "plato del bien comer"],
        "days_ago": 21,
        "palette": ((30, 64, 175), (59, 130, 246)),
        "foods": [(22, 163, 74), (234, 179, 8), (220, 38, 38), (132, 204, 22), (245, 158, 11)],
        "alt": "Ilustración del plato del bien comer dividido en porciones de colores sobre fondo azul.",
        "excerpt": "Más de 12 millones de personas viven con diabetes en México. Con el plato del bien comer y "
                   "unos cuantos hábitos puedes comer rico y mantener tu glucosa en rango.",
        "body": [
            *p("La diabetes tipo 2 ocurre cuando la insulina, la hormona que mete la glucosa a las células, deja de "
               "funcionar bien. La alimentación no es un castigo: es la herramienta más poderosa que tienes, junto "
               "con el movimiento y el tratamiento que indique tu médico."),
            *h("Las proporciones que funcionan"),
            *ul("<strong>Mitad del plato:</strong> verduras (nopales, calabacita, chayote, ejotes, lechuga, jitomate).",
                "<strong>Una cuarta parte:</strong> proteína (pollo, pescado, huevo, queso panela o leguminosas).",
                "<strong>Una cuarta parte:</strong> cereales o tubérculos: dos tortillas de maíz, media taza de arroz "
                "o una papa pequeña.",
                "Fruta entera como postre o colación, no en jugo."),
            *h("Horarios y orden"),
            *p("Comer a horas parecidas cada día ayuda a que tus medicamentos y tu glucosa se lleven bien. Empezar "
               "por las verduras, seguir con la proteína y dejar los hidratos de carbono al final reduce el pico de "
               "glucosa después de comer. No te saltes el desayuno si usas insulina o sulfonilureas."),
            *h("¿Y los antojitos?"),
            *p("Un sope o unas quesadillas caben de vez en cuando. Elige de comal, no fritos; acompaña con ensalada "
               "o nopales; cuenta la masa como cereal y camina 15 minutos después de comer."),
            *h("Qué revisar con tu nutrióloga"),
            *ul("Tu meta de hemoglobina glucosilada (HbA1c) y la frecuencia de tus glucometrías.",
                "Cuántos equivalentes de cereal y fruta te tocan en cada comida.",
                "Qué hacer si tienes una hipoglucemia: 15 g de azúcar rápida y volver a medir en 15 minutos."),
            *quote("Cuando entendí que podía seguir comiendo tortilla, dejé de sentir que estaba a dieta.",
                   "Don Raúl, 58 años, Puebla"),
            *CONSULT_CTA,
        ],
    },
    {
        "slug": "microbiota-y-alimentos-fermentados-mexicanos",
        "title": "Microbiota y alimentos fermentados mexicanos",
        "seo_title": "Microbiota y fermentados mexicanos",
        "search_description": "Pulque, tepache, pozol y yogur natural: qué aportan los fermentados a tu microbiota "
                              "y cómo sumar fibra prebiótica de nopal, frijol y avena.",
        "category": "gut-health",
        "tags": ["microbiota", "fermentados", "fibra"],
        "days_ago": 30,
        "palette": ((91, 33, 182), (139, 92, 246)),
        "foods": [(250, 204, 21), (234, 88, 12), (245, 245, 220), (132, 204, 22)],
        "alt": "Ilustración de un plato con alimentos fermentados de colores sobre fondo morado.",
        "excerpt": "Tu intestino alberga billones de bacterias que influyen en tu digestión y tu ánimo. México "
                   "tiene una tradición milenaria de fermentados que pueden cuidarlas.",
        "body": [
            *p("La microbiota intestinal es el conjunto de microorganismos que viven en tu intestino. Ayudan a "
               "digerir la fibra, producen vitaminas y ácidos grasos de cadena corta, y se comunican con tu sistema "
               "inmune. Una microbiota diversa se asocia con mejor salud digestiva y metabólica."),
            *h("Fermentados con historia"),
            *ul("<strong>Tepache:</strong> cáscara de piña fermentada; prepáralo con poco piloncillo y tómalo fresco.",
                "<strong>Pozol:</strong> masa de maíz fermentada del sureste, con bacterias lácticas y fibra.",
                "<strong>Pulque:</strong> tiene microorganismos vivos, pero también alcohol: con moderación y nunca "
                "en el embarazo.",
                "<strong>Yogur natural y jocoque:</strong> elige sin azúcar y endulza con fruta."),
            *h("Los probióticos necesitan comida: la fibra"),
            *p("De poco sirve tomar fermentados si tu dieta casi no tiene fibra. Las bacterias benéficas se "
               "alimentan de prebióticos: nopal, frijol, lenteja, avena, plátano poco maduro, cebolla, ajo y "
               "jícama. La meta para un adulto es de 25 a 30 g de fibra al día; la mayoría de los mexicanos "
               "consume alrededor de la mitad."),
            *h("Un día amigable con tu intestino"),
            *ul("Desayuno: avena con yogur natural, plátano y canela.",
                "Comida: caldo de frijol, nopales asados, pollo y dos tortillas.",
                "Colación: jícama con limón y chile piquín.",
                "Cena: quesadilla de comal con flor de calabaza y un vaso de tepache casero."),
            *p("Aumenta la fibra poco a poco y toma suficiente agua para evitar inflamación. Si tienes síntomas "
               "digestivos persistentes, consulta: puede haber intolerancias que conviene revisar."),
        ],
    },
    {
        "slug": "historia-de-exito-lucia-bajo-8-kg",
        "title": "Historia de éxito: Lucía bajó 8 kg en 6 meses",
        "seo_title": "Lucía bajó 8 kg en 6 meses sin dejar los tacos",
        "search_description": "Lucía, de la Ciudad de México, bajó 8 kg en seis meses con su nutrióloga, "
                              "registrando su comida y sin dejar los tacos. Así lo logró.",
        "category": "success-stories",
        "tags": ["historias", "bajar de peso", "hábitos"],
        "days_ago": 40,
        "palette": ((15, 118, 110), (20, 184, 166)),
        "foods": [(234, 88, 12), (22, 163, 74), (250, 204, 21), (220, 38, 38)],
        "alt": "Ilustración de un plato con tacos y verduras sobre un fondo verde azulado.",
        "excerpt": "Lucía tiene 33 años, trabaja en oficina y ama los tacos. En seis meses bajó 8 kg con su "
                   "nutrióloga y aprendió a comer sin culpa. Nos contó cómo lo hizo.",
        "body": [
            *p("Lucía Hernández vive en la Ciudad de México y trabaja frente a una computadora nueve horas al día. "
               "Había intentado tres dietas de internet: bajaba dos o tres kilos y los recuperaba en cuanto volvía "
               "a comer «normal». En marzo decidió probar algo distinto: acompañamiento profesional."),
            *h("El punto de partida"),
            *p("En su primera consulta pesaba 70.5 kg, medía 1.62 m y dormía menos de seis horas. Su nutrióloga no "
               "le prohibió nada; primero le pidió dos semanas de registro en la app para ver qué comía de verdad. "
               "Descubrieron que casi 400 kcal al día venían de bebidas: café con azúcar y refresco en la comida."),
            *h("Los cambios que hizo"),
            *ul("Cambió el refresco por agua de jamaica sin azúcar y el café a una cucharadita de azúcar, luego a nada.",
                "Llevó comida de casa tres días a la semana, armada con el plato del bien comer.",
                "Los viernes de tacos siguieron: tres de bistec o pastor, con cebolla, cilantro y nopales.",
                "Empezó a caminar 30 minutos en la hora de la comida y se unió al reto de 10 mil pasos de la "
                "comunidad.",
                "Registró su comida casi todos los días; su nutrióloga veía el diario y ajustaba cada mes."),
            *h("Seis meses después"),
            *p("Lucía pesa 62.5 kg, duerme siete horas y su cintura bajó 9 cm. Lo que más valora no es la báscula: "
               "«Ya no vivo a dieta. Sé qué me conviene y cuándo darme un gusto»."),
            *quote("Mi nutrióloga me enseñó a comer, no a dejar de comer. Esa fue la diferencia.", "Lucía, 33 años, CDMX"),
            *p("<em>Cada cuerpo es distinto: los resultados dependen de tu punto de partida, tu salud y tu "
               "constancia. Compartimos esta historia con el permiso de Lucía.</em>"),
            *CONSULT_CTA,
        ],
    },
    {
        "slug": "comer-bien-con-poco-tiempo-7-habitos",
        "title": "Comer bien con poco tiempo: 7 hábitos para la semana",
        "seo_title": "Comer bien con poco tiempo: 7 hábitos",
        "search_description": "Planea, cocina en lote y arma tu lonchera en 10 minutos: siete hábitos sencillos "
                              "para comer bien entre semana aunque trabajes todo el día.",
        "category": "lifestyle",
        "tags": ["hábitos", "planeación", "lonchera"],
        "days_ago": 50,
        "palette": ((180, 83, 9), (234, 88, 12)),
        "foods": [(22, 163, 74), (250, 204, 21), (239, 68, 68), (59, 130, 246), (245, 158, 11)],
        "alt": "Ilustración de un recetario abierto con listas de colores sobre fondo naranja.",
        "motif": "book",
        "excerpt": "No necesitas horas en la cocina para comer bien. Con planeación y un par de trucos puedes "
                   "tener comida casera toda la semana.",
        "body": [
            *p("La falta de tiempo es la razón número uno por la que terminamos comiendo en la calle o pidiendo a "
               "domicilio. Estos siete hábitos no piden recetas complicadas, solo un poco de orden."),
            *h("1. Planea el domingo"),
            *p("Dedica 15 minutos a escribir las comidas de la semana y la lista del súper. Usa la plantilla de "
               "menú semanal de nuestra sección de recursos."),
            *h("2. Cocina en lote"),
            *p("Una olla de frijoles, una charola de verduras asadas y una pechuga deshebrada resuelven cuatro "
               "comidas. Guarda en porciones individuales."),
            *h("3. Ten una despensa básica"),
            *ul("Latas de atún en agua y frijoles bajos en sodio.", "Avena, arroz integral y tortillas de maíz.",
                "Verduras congeladas, huevo y queso panela.", "Fruta de temporada: es más barata y sabe mejor."),
            *h("4. Arma la lonchera la noche anterior"),
            *p("En la mañana nadie tiene paciencia. Deja lista la comida antes de dormir y el desayuno casi listo."),
            *h("5. Repite sin culpa"),
            *p("Comer lo mismo dos o tres días seguidos no es aburrido si cambias la salsa o la guarnición."),
            *h("6. Ten colaciones a la mano"),
            *p("Un puño de almendras, una fruta o jícama con limón evitan que llegues con hambre voraz a la comida."),
            *h("7. Registra sin obsesionarte"),
            *p("Anotar lo que comes te da datos, no culpas. Con tres o cuatro días a la semana basta para ver "
               "patrones y ajustar con tu nutrióloga."),
        ],
    },
]

POSTS_EN = {
    "como-leer-sellos-de-advertencia-nom-051": {
        "title": "How to read Mexico's NOM-051 warning labels",
        "seo_title": "Mexico's NOM-051 warning labels, explained",
        "search_description": "What each black octagon on Mexican food packaging means, the caution legends "
                              "that matter and how to compare two products in 30 seconds.",
        "excerpt": "The black octagons are a shortcut, not a scare. What each label means and how to compare two "
                   "products in the supermarket aisle.",
        "alt": "Illustration of a plate with black and white octagons, like the warning labels.",
        "body": [
            *p("Since 2020 packaged food in Mexico carries the front-of-pack warning labels of "
               "<strong>NOM-051</strong>. Black octagons warn when a product exceeds the limits for sugars, "
               "saturated fat, trans fat, sodium or calories. They do not ban a food: they help you decide fast."),
            *h("What each label means"),
            *ul("<strong>Excess calories:</strong> a lot of energy in a small amount.",
                "<strong>Excess sugars:</strong> added sugars above the limit (soft drinks, cereals, sweet yogurts).",
                "<strong>Excess saturated fat</strong> and <strong>trans fat:</strong> linked to LDL cholesterol.",
                "<strong>Excess sodium:</strong> common in snacks, cold cuts, instant soups and bottled sauces."),
            *h("Compare in 30 seconds"),
            *ul("Count the octagons: between two similar options, pick the one with fewer.",
                "Check the serving size: many single bags hold two or three servings.",
                "Read the first three ingredients; syrups, dextrose and maltodextrin are sugar too."),
            *p("The simplest rule still works best: the more unpackaged foods in your cart (fruit, vegetables, "
               "beans, corn tortillas, eggs), the fewer labels you need to read."),
        ],
    },
    "tortilla-de-maiz-aliada-no-enemiga": {
        "title": "Corn tortillas: an ally, not an enemy",
        "seo_title": "Corn tortillas: an ally, not an enemy",
        "search_description": "Nixtamalized corn tortillas bring fibre, calcium and energy. How many to eat, what "
                              "to pair them with and how they compare with flour tortillas.",
        "excerpt": "Giving up tortillas is not the key to losing weight. Nixtamalized corn tortillas bring fibre "
                   "and calcium, and the right portion fits your plan.",
        "alt": "Illustration of a plate with golden corn tortillas on an orange background.",
        "body": [
            *p("When people start to eat better, tortillas are often the first thing to go. That is a pity: the "
               "corn tortilla is one of the most nutritious and affordable foods in the Mexican diet."),
            *h("What nixtamalization gives you"),
            *p("Cooking corn with lime frees the grain's niacin, adds calcium and improves its protein. A 30 g "
               "tortilla has about 70 kcal, 15 g of carbohydrates and fibre that keeps you full."),
            *h("How many can I eat?"),
            *p("It depends on your plan, but two tortillas at lunch, with vegetables and a protein, work for most "
               "adults. Pair them with beans, prefer baked tostadas over fried ones, and watch the fillings."),
        ],
    },
}
